package org.erasediff.eval.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Classifier accuracy on images generated for requested labels: does the classifier see the
 * class the generator was asked for? Arrays are copied on the way in and out.
 *
 * @param overall       fraction of all images classified as their requested label
 * @param perClass      per requested class, the fraction classified correctly; {@code NaN} for a
 *                      class with no images
 * @param perClassCount per class, the number of images requested for it
 */
public record AccuracyMetrics(double overall, double[] perClass, int[] perClassCount) {

    /**
     * Copies the arrays.
     *
     * @throws IllegalArgumentException if the arrays are missing or of different lengths
     */
    public AccuracyMetrics {
        if (perClass == null || perClassCount == null || perClass.length != perClassCount.length) {
            throw new IllegalArgumentException("perClass and perClassCount must be non-null and of equal length, found "
                    + (perClass == null ? "null" : perClass.length) + " and "
                    + (perClassCount == null ? "null" : perClassCount.length));
        }
        perClass = perClass.clone();
        perClassCount = perClassCount.clone();
    }

    /** Per-class accuracy (a copy). */
    @Override
    public double[] perClass() {
        return perClass.clone();
    }

    /** Per-class image counts (a copy). */
    @Override
    public int[] perClassCount() {
        return perClassCount.clone();
    }

    /** The overall accuracy as a named scalar: {@code accuracy}. */
    public Map<String, Double> toScalars() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("accuracy", overall);
        return out;
    }

    /** The per-class arrays by name: {@code accuracy} and {@code count} (as doubles). */
    public Map<String, double[]> toPerClass() {
        double[] counts = new double[perClassCount.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = perClassCount[i];
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        out.put("accuracy", perClass.clone());
        out.put("count", counts);
        return out;
    }

    /** Equal when all values are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof AccuracyMetrics a && Double.compare(overall, a.overall) == 0
                && java.util.Arrays.equals(perClass, a.perClass) && java.util.Arrays.equals(perClassCount, a.perClassCount);
    }

    /** Hash over all values. */
    @Override
    public int hashCode() {
        return 31 * (31 * Double.hashCode(overall) + java.util.Arrays.hashCode(perClass))
                + java.util.Arrays.hashCode(perClassCount);
    }

    /** All values, arrays spelled out. */
    @Override
    public String toString() {
        return "AccuracyMetrics[overall=" + overall + ", perClass=" + java.util.Arrays.toString(perClass)
                + ", perClassCount=" + java.util.Arrays.toString(perClassCount) + "]";
    }
}
