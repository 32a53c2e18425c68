package org.erasediff.dl4j.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How candidates are ranked: the scalarised score {@code forgetting + qualityWeight × quality} (lower
 * is better; both figures are read from the scorer's output by key) and the Pareto front over
 * (forgetting, quality), both minimised.
 *
 * <p>Optional <em>bars</em> make the ranking constrained: a bar is a figure's largest acceptable
 * value (for example {@code argmax_forget ≤ 0.015}, "forgets at least as well as the Retrain
 * model"). A scored candidate that meets every bar ranks before every one that misses one; within
 * each group the scalarised score decides, then the candidate's index. Bars change the ranking only,
 * never the recorded figures or scores, so a finished sweep can be re-ranked under other bars.
 *
 * @param forgetKey     the forgetting figure, e.g. {@code p_forget} (lower = more forgotten)
 * @param qualityKey    the quality loss on the kept data, e.g. {@code fid_remain} (lower = better)
 * @param qualityWeight the weight of the quality loss in the scalarised score, {@code >= 0} and finite
 * @param bars          figure name → largest acceptable value (finite); empty (or {@code null}, as in
 *                      settings written before bars existed) for none
 */
public record SweepObjective(String forgetKey, String qualityKey, double qualityWeight, Map<String, Double> bars)
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
        Map<String, Double> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Double> b : (bars == null ? Map.<String, Double>of() : bars).entrySet()) {
            if (b.getKey() == null || b.getKey().isBlank()) {
                throw new IllegalArgumentException("a bar must name a figure, was '" + b.getKey() + "'");
            }
            if (b.getValue() == null || !Double.isFinite(b.getValue())) {
                throw new IllegalArgumentException("the bar on '" + b.getKey() + "' must be finite, was "
                        + b.getValue());
            }
            copy.put(b.getKey(), b.getValue());
        }
        bars = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * An objective without bars.
     *
     * @param forgetKey     the forgetting figure
     * @param qualityKey    the quality figure
     * @param qualityWeight the quality figure's weight
     */
    public SweepObjective(String forgetKey, String qualityKey, double qualityWeight) {
        this(forgetKey, qualityKey, qualityWeight, Map.of());
    }

    /** {@code p_forget + qualityWeight × fid_remain}. */
    public static SweepObjective of(double qualityWeight) {
        return new SweepObjective(DEFAULT_FORGET_KEY, DEFAULT_QUALITY_KEY, qualityWeight);
    }

    /**
     * This objective with one more bar (or the bar on {@code key} replaced).
     *
     * @param key the figure
     * @param max its largest acceptable value
     * @return a new objective
     */
    public SweepObjective withBar(String key, double max) {
        Map<String, Double> b = new LinkedHashMap<>(bars);
        b.put(key, max);
        return new SweepObjective(forgetKey, qualityKey, qualityWeight, b);
    }

    /**
     * Whether a candidate's figures meet every bar.
     *
     * @param metrics a candidate's figures
     * @return true if each barred figure is present, finite and at most its bar
     */
    public boolean meetsBars(Map<String, Double> metrics) {
        for (Map.Entry<String, Double> b : bars.entrySet()) {
            Double v = metrics.get(b.getKey());
            if (v == null || !Double.isFinite(v) || v > b.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The order in which candidates are ranked: scored before failed, meeting the bars before missing
     * one, then by the recorded objective, then by index. The first scored candidate is the best.
     *
     * @return a comparator over records
     */
    public Comparator<SweepRecord> ranking() {
        return Comparator.comparing((SweepRecord r) -> !r.isOk())
                .thenComparing(r -> !(r.isOk() && meetsBars(r.metrics())))
                .thenComparingDouble(r -> r.isOk() ? r.objective() : 0)
                .thenComparingInt(SweepRecord::index);
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
     * @throws IllegalStateException if the scorer did not give one of them, or a barred figure, at all
     *                               (a scorer that does not fit this objective)
     */
    public boolean isScorable(Map<String, Double> metrics) {
        List<String> needed = new ArrayList<>(List.of(forgetKey, qualityKey));
        needed.addAll(bars.keySet());
        for (String k : needed) {
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
