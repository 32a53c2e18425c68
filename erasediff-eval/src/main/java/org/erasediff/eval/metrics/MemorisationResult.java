package org.erasediff.eval.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Outcome of a {@link MemorisationCheck}: does the model still produce (near-)copies of the
 * forgotten images?
 *
 * @param pixelThreshold                     the pixel L2 threshold used
 * @param matches                            per forgotten image (in input order) its nearest
 *                                           generated image; unmodifiable
 * @param fractionOfGeneratedWithinThreshold fraction of generated images closer than the
 *                                           threshold to at least one forgotten image
 * @param minPixelL2                         the smallest pixel distance over all pairs
 */
public record MemorisationResult(double pixelThreshold, List<NearestMatch> matches,
                                 double fractionOfGeneratedWithinThreshold, double minPixelL2) {

    /** Copies the list. */
    public MemorisationResult {
        if (matches == null) {
            throw new IllegalArgumentException("matches must not be null");
        }
        matches = List.copyOf(matches);
    }

    /**
     * The summary as named scalars: {@code memorisation_fraction} (generated images near a
     * forgotten one) and {@code memorisation_min_pixel_l2}.
     */
    public Map<String, Double> toScalars() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("memorisation_fraction", fractionOfGeneratedWithinThreshold);
        out.put("memorisation_min_pixel_l2", minPixelL2);
        return out;
    }
}
