package org.erasediff.eval.metrics;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Forgetting and accuracy metrics from a classifier's class probabilities {@code [N, C]}
 * (softmax outputs: each row non-negative and summing to 1 within {@code 1e-3}).
 *
 * <p>Entropy is in nats with {@code 0·ln 0 = 0}, so a one-hot row has entropy exactly 0 and a
 * uniform row {@code ln C}; rounding is clamped into {@code [0, ln C]}. Entries down to
 * {@code −1e-6} are accepted as rounding noise and treated as 0. Argmax ties go to the lowest
 * class index.
 */
public final class ClassifierMetrics {

    private static final double NEGATIVE_TOLERANCE = 1e-6;
    private static final double SUM_TOLERANCE = 1e-3;

    private ClassifierMetrics() {
    }

    /**
     * Forgetting metrics when every image was generated for the same class.
     *
     * @param probabilities class probabilities {@code [N][C]}, {@code C >= 2}; not modified
     * @param targetClass   the class the images were generated for (the forgotten class), in {@code [0, C)}
     * @return the metrics
     */
    public static ForgettingMetrics forgetting(double[][] probabilities, int targetClass) {
        int[] targets = new int[probabilities == null ? 0 : probabilities.length];
        Arrays.fill(targets, targetClass);
        return forgetting(probabilities, targets);
    }

    /**
     * Forgetting metrics with a target class per image.
     *
     * @param probabilities class probabilities {@code [N][C]}, {@code C >= 2}; not modified
     * @param targets       per image the class it was generated for, each in {@code [0, C)}
     * @return the metrics
     * @throws IllegalArgumentException if the rows are not probability vectors or the targets do
     *                                  not match
     */
    public static ForgettingMetrics forgetting(double[][] probabilities, int[] targets) {
        int c = requireProbabilities(probabilities);
        requireLabels(targets, probabilities.length, c, "targets");
        double sumTarget = 0;
        double sumEntropy = 0;
        int hits = 0;
        for (int i = 0; i < probabilities.length; i++) {
            double[] p = probabilities[i];
            sumTarget += Math.max(p[targets[i]], 0);
            sumEntropy += entropy(p);
            if (argmax(p) == targets[i]) {
                hits++;
            }
        }
        int n = probabilities.length;
        double meanEntropy = sumEntropy / n;
        return new ForgettingMetrics(sumTarget / n, (double) hits / n, meanEntropy, meanEntropy / Math.log(c), n, c);
    }

    /**
     * Forgetting metrics when every image was generated for the same class.
     *
     * @param probabilities class probabilities {@code [N, C]}, any data type; not modified
     * @param targetClass   the class the images were generated for, in {@code [0, C)}
     * @return the metrics
     */
    public static ForgettingMetrics forgetting(INDArray probabilities, int targetClass) {
        return forgetting(Matrices.toRows(probabilities, "probabilities"), targetClass);
    }

    /**
     * Forgetting metrics with a target class per image.
     *
     * @param probabilities class probabilities {@code [N, C]}, any data type; not modified
     * @param targets       per image the class it was generated for
     * @return the metrics
     */
    public static ForgettingMetrics forgetting(INDArray probabilities, int[] targets) {
        return forgetting(Matrices.toRows(probabilities, "probabilities"), targets);
    }

    /**
     * Overall and per-class accuracy of the classifier against the labels the images were
     * requested with.
     *
     * @param probabilities class probabilities {@code [N][C]}; not modified
     * @param labels        per image the requested class, each in {@code [0, C)}
     * @return accuracy overall and per class ({@code C} entries)
     */
    public static AccuracyMetrics accuracy(double[][] probabilities, int[] labels) {
        int c = requireProbabilities(probabilities);
        requireLabels(labels, probabilities.length, c, "labels");
        int[] correct = new int[c];
        int[] count = new int[c];
        int total = 0;
        for (int i = 0; i < probabilities.length; i++) {
            count[labels[i]]++;
            if (argmax(probabilities[i]) == labels[i]) {
                correct[labels[i]]++;
                total++;
            }
        }
        double[] perClass = new double[c];
        for (int k = 0; k < c; k++) {
            perClass[k] = count[k] == 0 ? Double.NaN : (double) correct[k] / count[k];
        }
        return new AccuracyMetrics((double) total / probabilities.length, perClass, count);
    }

    /**
     * Overall and per-class accuracy from probabilities {@code [N, C]}.
     *
     * @param probabilities class probabilities, any data type; not modified
     * @param labels        per image the requested class
     * @return accuracy overall and per class
     */
    public static AccuracyMetrics accuracy(INDArray probabilities, int[] labels) {
        return accuracy(Matrices.toRows(probabilities, "probabilities"), labels);
    }

    /**
     * Entropy in nats of one probability vector, {@code −Σ p ln p} with {@code 0·ln 0 = 0},
     * clamped into {@code [0, ln C]}.
     *
     * @param p probabilities (entries {@code <= 0} contribute nothing); not modified
     * @return the entropy
     */
    public static double entropy(double[] p) {
        double h = 0;
        for (double v : p) {
            if (v > 0) {
                h -= v * Math.log(v);
            }
        }
        return Math.min(Math.max(h, 0), Math.log(p.length));
    }

    /**
     * Index of the largest entry (the lowest index on ties).
     *
     * @param p a non-empty vector; not modified
     * @return the argmax
     */
    public static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int requireProbabilities(double[][] probabilities) {
        int c = Matrices.requireMatrix(probabilities, "probabilities");
        if (c < 2) {
            throw new IllegalArgumentException("probabilities must have at least 2 classes (columns), found " + c);
        }
        for (int i = 0; i < probabilities.length; i++) {
            double sum = 0;
            for (int k = 0; k < c; k++) {
                double v = probabilities[i][k];
                if (v < -NEGATIVE_TOLERANCE) {
                    throw new IllegalArgumentException("probabilities must be >= 0, found " + v + " at [" + i + ", "
                            + k + "] (pass softmax outputs, not logits)");
                }
                sum += v;
            }
            if (Math.abs(sum - 1) > SUM_TOLERANCE) {
                throw new IllegalArgumentException("probabilities rows must sum to 1 (within " + SUM_TOLERANCE
                        + "), row " + i + " sums to " + sum + " (pass softmax outputs, not logits)");
            }
        }
        return c;
    }

    private static void requireLabels(int[] labels, int n, int c, String name) {
        if (labels == null || labels.length != n) {
            throw new IllegalArgumentException(name + " must have one entry per image (" + n + "), found "
                    + (labels == null ? "null" : labels.length));
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= c) {
                throw new IllegalArgumentException(name + "[" + i + "] must be in [0, " + c + "), found " + labels[i]);
            }
        }
    }
}
