package org.erasediff.eval.metrics;

/**
 * The generated image nearest (in pixel space) to one forgotten image.
 *
 * @param forgottenIndex          index of the forgotten image
 * @param generatedIndex          index of the nearest generated image (the lowest on ties)
 * @param pixelL2                 Euclidean pixel distance between the two
 * @param featureDistance         Euclidean feature distance between the same two images;
 *                                {@code NaN} when no features were given
 * @param fractionWithinThreshold fraction of all generated images whose pixel distance to this
 *                                forgotten image is below the threshold
 */
public record NearestMatch(int forgottenIndex, int generatedIndex, double pixelL2, double featureDistance,
                           double fractionWithinThreshold) {
}
