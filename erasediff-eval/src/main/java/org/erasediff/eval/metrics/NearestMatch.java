package org.erasediff.eval.metrics;

/**
 * The generated image nearest (in pixel space) to one forgotten image.
 *
 * @param forgottenIndex          index of the forgotten image
 * @param generatedIndex          index of the nearest generated image (the lowest on ties)
 * @param pixelL2                 Euclidean pixel distance between the two
 * @param featureDistance         Euclidean feature distance between the same two images;
 *                                {@code NaN} when no features were given
 * @param pixelThreshold          the near-copy threshold of this forgotten image
 * @param fractionWithinThreshold fraction of all generated images whose pixel distance to this
 *                                forgotten image is below its threshold
 */
public record NearestMatch(int forgottenIndex, int generatedIndex, double pixelL2, double featureDistance,
                           double pixelThreshold, double fractionWithinThreshold) {

    /** Whether the model generated a near-copy of this image: its nearest generated image is closer than the threshold. */
    public boolean nearCopy() {
        return pixelL2 < pixelThreshold;
    }
}
