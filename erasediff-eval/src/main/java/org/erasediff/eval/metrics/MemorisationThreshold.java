package org.erasediff.eval.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pixel L2 distance below which a generated image counts as a near-copy of a training image,
 * per class, by one of two stated rules:
 *
 * <ul>
 *   <li>{@link #relative}: a fixed fraction of the median nearest-neighbour distance between real
 *       images of the same class. For every reference image of class {@code c}, its distance to
 *       the nearest <em>other</em> reference image of class {@code c}; {@code τ_c = fraction ×}
 *       the median of those distances. A generated image closer to a training image than
 *       {@code fraction} of the distance that typically separates two different real digits of
 *       that class is a copy of it, not another example of the class. The threshold depends only
 *       on real data, so a model before and after unlearning is measured against the same one.</li>
 *   <li>{@link #fixed}: one value for every class (for callers that calibrated their own).</li>
 * </ul>
 *
 * <p>Distances are Euclidean over all pixels in the value range of the images given (the project
 * uses {@code [−1, 1]}). Instances are immutable.
 */
public final class MemorisationThreshold {

    private final String rule;
    private final double fraction;
    private final double fixed;
    private final Map<Integer, Double> medianNearestNeighbour;

    private MemorisationThreshold(String rule, double fraction, double fixed, Map<Integer, Double> medians) {
        this.rule = rule;
        this.fraction = fraction;
        this.fixed = fixed;
        this.medianNearestNeighbour = Map.copyOf(medians);
    }

    /**
     * One threshold for every class.
     *
     * @param pixelL2 the threshold, finite and {@code > 0}
     * @throws IllegalArgumentException if out of range
     */
    public static MemorisationThreshold fixed(double pixelL2) {
        if (!(pixelL2 > 0) || Double.isInfinite(pixelL2)) {
            throw new IllegalArgumentException("pixelThreshold must be finite and > 0, found " + pixelL2);
        }
        return new MemorisationThreshold("fixed pixel L2 " + pixelL2, Double.NaN, pixelL2, Map.of());
    }

    /**
     * {@code fraction} of the median nearest-neighbour distance within each class of the reference.
     *
     * @param fraction  the fraction, in (0, 1]
     * @param reference real images, one flattened image per row {@code [N][P]}; not modified
     * @param labels    the class of each row
     * @throws IllegalArgumentException if the fraction is out of range, the sizes disagree or a
     *                                  class has fewer than two images, or all of a class's
     *                                  images are identical
     */
    public static MemorisationThreshold relative(double fraction, double[][] reference, int[] labels) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("the near-copy fraction must be in (0, 1], found " + fraction);
        }
        Matrices.requireMatrix(reference, "reference");
        if (labels == null || labels.length != reference.length) {
            throw new IllegalArgumentException("labels must hold one class per reference image (" + reference.length
                    + "), found " + (labels == null ? "null" : labels.length));
        }
        Map<Integer, Double> medians = new TreeMap<>();
        for (int c : Arrays.stream(labels).distinct().sorted().toArray()) {
            int[] rows = java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] == c).toArray();
            if (rows.length < 2) {
                throw new IllegalArgumentException("class " + c + " has " + rows.length + " reference image: the "
                        + "nearest-neighbour distance needs at least 2");
            }
            double[] nearest = new double[rows.length];
            for (int a = 0; a < rows.length; a++) {
                double best = Double.POSITIVE_INFINITY;
                for (int b = 0; b < rows.length; b++) {
                    if (a != b) {
                        best = Math.min(best, Matrices.squaredDistance(reference[rows[a]], reference[rows[b]]));
                    }
                }
                nearest[a] = Math.sqrt(best);
            }
            double median = median(nearest);
            if (!(median > 0)) {
                throw new IllegalArgumentException("class " + c + ": the median nearest-neighbour distance of its "
                        + "reference images is 0 (duplicates): no threshold can be derived");
            }
            medians.put(c, median);
        }
        return new MemorisationThreshold(fraction + " × the median nearest-neighbour pixel L2 distance between real "
                + "images of the same class", fraction, Double.NaN, medians);
    }

    /**
     * The threshold for an image of class {@code label}.
     *
     * @throws IllegalArgumentException if a relative threshold has no reference image of that class
     */
    public double pixelThreshold(int label) {
        if (!Double.isNaN(fixed)) {
            return fixed;
        }
        Double m = medianNearestNeighbour.get(label);
        if (m == null) {
            throw new IllegalArgumentException("no reference image of class " + label + ": the threshold covers "
                    + new TreeMap<>(medianNearestNeighbour).keySet());
        }
        return fraction * m;
    }

    /** Whether the threshold depends on the class (a relative rule). */
    public boolean perClass() {
        return Double.isNaN(fixed);
    }

    /** The rule in words, for reports. */
    public String rule() {
        return rule;
    }

    /**
     * The rule as report data: {@code rule}; for a relative rule also {@code fraction} and per class
     * (as a string key) {@code median_nearest_neighbour_l2} and {@code pixel_threshold}; for a fixed
     * rule {@code pixel_threshold}.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", rule);
        if (!perClass()) {
            m.put("pixel_threshold", fixed);
            return m;
        }
        m.put("fraction", fraction);
        Map<String, Double> medians = new LinkedHashMap<>();
        Map<String, Double> thresholds = new LinkedHashMap<>();
        new TreeMap<>(medianNearestNeighbour).forEach((c, v) -> {
            medians.put(Integer.toString(c), v);
            thresholds.put(Integer.toString(c), fraction * v);
        });
        m.put("median_nearest_neighbour_l2", medians);
        m.put("pixel_threshold", thresholds);
        return m;
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    @Override
    public String toString() {
        return "MemorisationThreshold[" + rule + "]";
    }
}
