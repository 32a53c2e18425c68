package org.erasediff.eval.metrics;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Memorisation check: for every forgotten (training) image, the nearest generated image in pixel
 * space, its pixel and feature distances, whether it is a near-copy (closer than the image's
 * {@link MemorisationThreshold}) and how many generated images come that close. A model that
 * forgot its forgotten set should produce no near-copies of it.
 *
 * <p>Images are compared as flattened vectors (Euclidean distance over all pixels, in the value
 * range the caller uses, typically {@code [-1, 1]}); for {@code 28×28} images in {@code [-1, 1]} a
 * distance of 1 is an RMS pixel difference of about 0.036. "Closer than" means strictly less.
 * Cost: {@code N·M} distances of the image size. Instances are immutable and thread-safe.
 */
public final class MemorisationCheck {

    private final MemorisationThreshold threshold;

    /**
     * Creates a check with one pixel threshold for every image.
     *
     * @param pixelThreshold pixel L2 distance below which a generated image counts as a
     *                       near-copy, finite and {@code > 0}
     * @throws IllegalArgumentException if the threshold is out of range
     */
    public MemorisationCheck(double pixelThreshold) {
        this(MemorisationThreshold.fixed(pixelThreshold));
    }

    /**
     * Creates a check with a threshold rule.
     *
     * @param threshold the near-copy threshold (per class for a relative rule)
     */
    public MemorisationCheck(MemorisationThreshold threshold) {
        if (threshold == null) {
            throw new IllegalArgumentException("threshold must not be null");
        }
        this.threshold = threshold;
    }

    /** The threshold rule. */
    public MemorisationThreshold threshold() {
        return threshold;
    }

    /**
     * Checks pixels only (feature distances are {@code NaN}), with a fixed threshold.
     *
     * @param forgotten forgotten images, one flattened image per row {@code [N][P]}; not modified
     * @param generated generated images {@code [M][P]}; not modified
     * @return the per-image matches and the summary
     */
    public MemorisationResult check(double[][] forgotten, double[][] generated) {
        return check(forgotten, null, generated, null, null);
    }

    /**
     * Checks pixels and, when both feature matrices are given, reports feature distances too,
     * with a fixed threshold.
     *
     * @param forgotten          forgotten images {@code [N][P]}; not modified
     * @param generated          generated images {@code [M][P]}; not modified
     * @param forgottenFeatures  features of the forgotten images {@code [N][D]}, or {@code null}
     * @param generatedFeatures  features of the generated images {@code [M][D]}, or {@code null}
     *                           (both or neither)
     * @return the per-image matches and the summary
     * @throws IllegalArgumentException if the sizes disagree or only one feature matrix is given
     */
    public MemorisationResult check(double[][] forgotten, double[][] generated,
                                    double[][] forgottenFeatures, double[][] generatedFeatures) {
        return check(forgotten, null, generated, forgottenFeatures, generatedFeatures);
    }

    /**
     * Checks pixels and, when both feature matrices are given, features; each forgotten image is
     * judged by the threshold of its class.
     *
     * @param forgotten          forgotten images {@code [N][P]}; not modified
     * @param forgottenLabels    their classes (needed by a per-class threshold; may be {@code null}
     *                           for a fixed one)
     * @param generated          generated images {@code [M][P]}; not modified
     * @param forgottenFeatures  features of the forgotten images {@code [N][D]}, or {@code null}
     * @param generatedFeatures  features of the generated images {@code [M][D]}, or {@code null}
     *                           (both or neither)
     * @return the per-image matches and the summary
     * @throws IllegalArgumentException if the sizes disagree, only one feature matrix is given, or
     *                                  a per-class threshold lacks labels or a label's class
     */
    public MemorisationResult check(double[][] forgotten, int[] forgottenLabels, double[][] generated,
                                    double[][] forgottenFeatures, double[][] generatedFeatures) {
        int p = Matrices.requireMatrix(forgotten, "forgotten");
        Matrices.requireSameWidth(p, "forgotten", Matrices.requireMatrix(generated, "generated"), "generated");
        if (forgottenLabels != null ? forgottenLabels.length != forgotten.length : threshold.perClass()) {
            throw new IllegalArgumentException("a per-class threshold needs one label per forgotten image ("
                    + forgotten.length + "), found " + (forgottenLabels == null ? "none" : forgottenLabels.length));
        }
        boolean features = forgottenFeatures != null || generatedFeatures != null;
        if (features) {
            if (forgottenFeatures == null || generatedFeatures == null) {
                throw new IllegalArgumentException("forgottenFeatures and generatedFeatures must be given together, found "
                        + (forgottenFeatures == null ? "null" : "a matrix") + " and "
                        + (generatedFeatures == null ? "null" : "a matrix"));
            }
            int d = Matrices.requireMatrix(forgottenFeatures, "forgottenFeatures");
            Matrices.requireSameWidth(d, "forgottenFeatures",
                    Matrices.requireMatrix(generatedFeatures, "generatedFeatures"), "generatedFeatures");
            requireRows(forgottenFeatures.length, forgotten.length, "forgottenFeatures");
            requireRows(generatedFeatures.length, generated.length, "generatedFeatures");
        }
        boolean[] nearAny = new boolean[generated.length];
        List<NearestMatch> matches = new ArrayList<>(forgotten.length);
        double minOverall = Double.POSITIVE_INFINITY;
        for (int i = 0; i < forgotten.length; i++) {
            double tau = threshold.pixelThreshold(forgottenLabels == null ? 0 : forgottenLabels[i]);
            double squaredThreshold = tau * tau;
            int best = -1;
            double bestSq = Double.POSITIVE_INFINITY;
            int within = 0;
            for (int j = 0; j < generated.length; j++) {
                double sq = Matrices.squaredDistance(forgotten[i], generated[j]);
                if (sq < bestSq) {
                    bestSq = sq;
                    best = j;
                }
                if (sq < squaredThreshold) {
                    within++;
                    nearAny[j] = true;
                }
            }
            double featureDistance = features
                    ? Math.sqrt(Matrices.squaredDistance(forgottenFeatures[i], generatedFeatures[best]))
                    : Double.NaN;
            double pixelL2 = Math.sqrt(bestSq);
            minOverall = Math.min(minOverall, pixelL2);
            matches.add(new NearestMatch(i, best, pixelL2, featureDistance, tau, (double) within / generated.length));
        }
        int near = 0;
        for (boolean b : nearAny) {
            if (b) {
                near++;
            }
        }
        return new MemorisationResult(threshold, matches, (double) near / generated.length, minOverall);
    }

    /**
     * Checks pixels only, on image arrays {@code [N, ...]} (flattened per image).
     *
     * @param forgotten forgotten images, any data type; not modified
     * @param generated generated images of the same per-image size; not modified
     * @return the per-image matches and the summary
     */
    public MemorisationResult check(INDArray forgotten, INDArray generated) {
        return check(Matrices.toRows(forgotten, "forgotten"), Matrices.toRows(generated, "generated"));
    }

    /**
     * Checks pixels and features, on arrays {@code [N, ...]} and features {@code [N, D]}.
     *
     * @param forgotten         forgotten images; not modified
     * @param generated         generated images; not modified
     * @param forgottenFeatures features of the forgotten images; not modified
     * @param generatedFeatures features of the generated images; not modified
     * @return the per-image matches and the summary
     */
    public MemorisationResult check(INDArray forgotten, INDArray generated,
                                    INDArray forgottenFeatures, INDArray generatedFeatures) {
        return check(Matrices.toRows(forgotten, "forgotten"), Matrices.toRows(generated, "generated"),
                Matrices.toRows(forgottenFeatures, "forgottenFeatures"),
                Matrices.toRows(generatedFeatures, "generatedFeatures"));
    }

    private static void requireRows(int found, int expected, String name) {
        if (found != expected) {
            throw new IllegalArgumentException(name + " must have one row per image (" + expected + "), found " + found);
        }
    }
}
