package org.erasediff.dl4j.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How candidates are ranked: the scalarised score {@code forgetting + qualityWeight × quality} (lower
 * is better; both figures are read from the scorer's output by key) and the Pareto front over
 * (forgetting, quality), both minimised.
 *
 * @param forgetKey     the forgetting figure, e.g. {@code p_forget} (lower = more forgotten)
 * @param qualityKey    the quality loss on the kept data, e.g. {@code fid_remain} (lower = better)
 * @param qualityWeight the weight of the quality loss in the scalarised score, {@code >= 0} and finite
 */
public record SweepObjective(String forgetKey, String qualityKey, double qualityWeight)
        implements java.io.Serializable {

    /** Default forgetting figure. */
    public static final String DEFAULT_FORGET_KEY = "p_forget";
    /** Default quality figure. */
    public static final String DEFAULT_QUALITY_KEY = "fid_remain";

    /**
     * Validates.
     *
     * @throws IllegalArgumentException naming the field out of range
     */
    public SweepObjective {
        if (forgetKey == null || forgetKey.isBlank() || qualityKey == null || qualityKey.isBlank()) {
            throw new IllegalArgumentException("forgetKey and qualityKey must be non-blank, were " + forgetKey + ", "
                    + qualityKey);
        }
        if (!(qualityWeight >= 0) || !Double.isFinite(qualityWeight)) {
            throw new IllegalArgumentException("qualityWeight must be >= 0 and finite, was " + qualityWeight);
        }
    }

    /** {@code p_forget + qualityWeight × fid_remain}. */
    public static SweepObjective of(double qualityWeight) {
        return new SweepObjective(DEFAULT_FORGET_KEY, DEFAULT_QUALITY_KEY, qualityWeight);
    }

    /**
     * The scalarised score.
     *
     * @param metrics a candidate's figures
     * @return {@code forgetting + qualityWeight × quality}
     * @throws IllegalArgumentException if a figure is missing or not finite
     */
    public double scalarise(Map<String, Double> metrics) {
        return figure(metrics, forgetKey) + qualityWeight * figure(metrics, qualityKey);
    }

    /**
     * Whether a candidate's figures can be ranked: both are finite (a candidate whose model broke
     * may give NaN).
     *
     * @throws IllegalStateException if the scorer did not give one of them at all (a scorer that does
     *                               not fit this objective)
     */
    public boolean isScorable(Map<String, Double> metrics) {
        for (String k : List.of(forgetKey, qualityKey)) {
            if (!metrics.containsKey(k)) {
                throw new IllegalStateException("the scorer gives no '" + k + "' (it gives " + metrics.keySet() + ")");
            }
        }
        return Double.isFinite(metrics.get(forgetKey)) && Double.isFinite(metrics.get(qualityKey));
    }

    /**
     * The candidates no other candidate dominates (at most as bad in both figures and better in one),
     * ordered by the forgetting figure, then quality.
     *
     * @param items   the candidates
     * @param metrics each candidate's figures
     * @param <T>     the candidate type
     * @return a new list
     */
    public <T> List<T> paretoFront(List<T> items, Function<T, Map<String, Double>> metrics) {
        List<T> front = new ArrayList<>();
        for (T a : items) {
            double fa = figure(metrics.apply(a), forgetKey);
            double qa = figure(metrics.apply(a), qualityKey);
            boolean dominated = false;
            for (T b : items) {
                double fb = figure(metrics.apply(b), forgetKey);
                double qb = figure(metrics.apply(b), qualityKey);
                if (fb <= fa && qb <= qa && (fb < fa || qb < qa)) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                front.add(a);
            }
        }
        front.sort(Comparator.<T>comparingDouble(t -> figure(metrics.apply(t), forgetKey))
                .thenComparingDouble(t -> figure(metrics.apply(t), qualityKey)));
        return front;
    }

    private static double figure(Map<String, Double> metrics, String key) {
        Double v = metrics.get(key);
        if (v == null || !Double.isFinite(v)) {
            throw new IllegalArgumentException("the scorer's figures lack a finite '" + key + "' (found " + v
                    + " among " + metrics.keySet() + ")");
        }
        return v;
    }
}
