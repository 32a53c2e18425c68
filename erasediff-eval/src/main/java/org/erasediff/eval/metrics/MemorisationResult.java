package org.erasediff.eval.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Outcome of a {@link MemorisationCheck}: does the model still produce (near-)copies of the
 * forgotten images?
 *
 * @param threshold                          the near-copy threshold used
 * @param matches                            per forgotten image (in input order) its nearest
 *                                           generated image; unmodifiable
 * @param fractionOfGeneratedWithinThreshold fraction of generated images closer than the
 *                                           threshold to at least one forgotten image
 * @param minPixelL2                         the smallest pixel distance over all pairs
 */
public record MemorisationResult(MemorisationThreshold threshold, List<NearestMatch> matches,
                                 double fractionOfGeneratedWithinThreshold, double minPixelL2) {

    /** Copies the list. */
    public MemorisationResult {
        if (threshold == null || matches == null) {
            throw new IllegalArgumentException("threshold and matches must not be null");
        }
        matches = List.copyOf(matches);
    }

    /** The fraction of forgotten images with a generated near-copy ({@link NearestMatch#nearCopy()}). */
    public double memorisedFraction() {
        return matches.stream().filter(NearestMatch::nearCopy).count() / (double) matches.size();
    }

    /**
     * The summary as named scalars: {@code memorised_fraction} (forgotten images with a generated
     * near-copy), {@code memorisation_fraction} (generated images near a forgotten one) and
     * {@code memorisation_min_pixel_l2}.
     */
    public Map<String, Double> toScalars() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("memorised_fraction", memorisedFraction());
        out.put("memorisation_fraction", fractionOfGeneratedWithinThreshold);
        out.put("memorisation_min_pixel_l2", minPixelL2);
        return out;
    }
}
