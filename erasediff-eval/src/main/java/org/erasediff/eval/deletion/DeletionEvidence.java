package org.erasediff.eval.deletion;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evidence about one model (before or after a deletion) for the images of a request.
 *
 * <p>{@code figures} holds {@code memorised_fraction} (the share of requested images with a
 * generated near-copy), {@code memorisation_fraction} (the share of generated images that are a
 * near-copy of one), {@code mia_auc} and {@code mia_tpr_at_1pct_fpr} (the membership-inference
 * attack), {@code mia_member_loss} and {@code mia_heldout_loss} (the mean losses it compares) and
 * the quality kept: {@code accuracy} (a conditional model's samples classified as their prompt,
 * over all classes), {@code fid} and {@code kid}.
 *
 * @param model   the model's name ("before", "after")
 * @param modelSha256 the model file's SHA-256
 * @param figures the figures by key
 * @param images  per requested image, in request order
 */
public record DeletionEvidence(@JsonProperty("model") String model, @JsonProperty("modelSha256") String modelSha256,
                               @JsonProperty("figures") Map<String, Double> figures,
                               @JsonProperty("images") List<ImageEvidence> images) {

    /**
     * The evidence about one requested image.
     *
     * @param id                    its sample id
     * @param label                 its class
     * @param nearestPixelL2        pixel L2 distance to the nearest generated image
     * @param nearestFeatureDistance judge-feature distance to that same generated image
     * @param pixelThreshold        its near-copy threshold
     * @param nearCopy              whether the nearest generated image is within the threshold
     * @param loss                  its denoising loss under the attack
     */
    public record ImageEvidence(@JsonProperty("id") int id, @JsonProperty("label") int label,
                                @JsonProperty("nearestPixelL2") double nearestPixelL2,
                                @JsonProperty("nearestFeatureDistance") double nearestFeatureDistance,
                                @JsonProperty("pixelThreshold") double pixelThreshold,
                                @JsonProperty("nearCopy") boolean nearCopy, @JsonProperty("loss") double loss) {
    }

    /** Copies the collections (the figures keep their order). */
    public DeletionEvidence {
        figures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(figures));
        images = List.copyOf(images);
    }

    /**
     * A figure.
     *
     * @throws IllegalArgumentException if there is none of that name
     */
    public double figure(String key) {
        Double v = figures.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no figure '" + key + "'; have " + figures.keySet());
        }
        return v;
    }
}
