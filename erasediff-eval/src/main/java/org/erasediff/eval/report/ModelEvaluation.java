package org.erasediff.eval.report;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The evaluation of one model: named scalar metrics (for example {@code fid}, {@code p_target},
 * {@code entropy}) and named per-class arrays (for example per-class accuracy). Maps keep their
 * insertion order; everything is copied on the way in and out, so instances are immutable.
 * {@code NaN} and infinite values are allowed (a metric that could not be computed).
 *
 * @param name     model name, non-blank (for example "Unscrubbed", "EraseDiff")
 * @param metrics  scalar metrics by name
 * @param perClass per-class arrays by name (index = class)
 */
public record ModelEvaluation(String name, Map<String, Double> metrics, Map<String, double[]> perClass) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if the name is blank, or a key is blank or a value null
     */
    public ModelEvaluation {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must be non-blank, found " + (name == null ? "null" : "'" + name + "'"));
        }
        Map<String, Double> m = new LinkedHashMap<>();
        if (metrics != null) {
            metrics.forEach((k, v) -> m.put(requireKey(k, name, "metrics"), requireValue(v, k, name)));
        }
        Map<String, double[]> pc = new LinkedHashMap<>();
        if (perClass != null) {
            perClass.forEach((k, v) -> pc.put(requireKey(k, name, "perClass"), requireValue(v, k, name).clone()));
        }
        metrics = Collections.unmodifiableMap(m);
        perClass = Collections.unmodifiableMap(pc);
    }

    /**
     * Starts a builder.
     *
     * @param name model name
     * @return the builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Per-class arrays by name (copies of the arrays). */
    @Override
    public Map<String, double[]> perClass() {
        Map<String, double[]> copy = new LinkedHashMap<>();
        perClass.forEach((k, v) -> copy.put(k, v.clone()));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * One scalar metric.
     *
     * @param metric the metric name
     * @return its value, or {@code NaN} when this model does not have it
     */
    public double metric(String metric) {
        Double v = metrics.get(metric);
        return v == null ? Double.NaN : v;
    }

    /** Equal when names, metrics and all per-class values are equal. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ModelEvaluation e) || !name.equals(e.name) || !metrics.equals(e.metrics)
                || !perClass.keySet().equals(e.perClass.keySet())) {
            return false;
        }
        for (Map.Entry<String, double[]> entry : perClass.entrySet()) {
            if (!Arrays.equals(entry.getValue(), e.perClass.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Hash over the name, metrics and per-class values. */
    @Override
    public int hashCode() {
        int perClassHash = 0;
        for (Map.Entry<String, double[]> entry : perClass.entrySet()) {
            perClassHash += entry.getKey().hashCode() ^ Arrays.hashCode(entry.getValue());
        }
        return 31 * (31 * name.hashCode() + metrics.hashCode()) + perClassHash;
    }

    /** Name, metrics and per-class arrays spelled out. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ModelEvaluation[name=").append(name).append(", metrics=").append(metrics)
                .append(", perClass={");
        String sep = "";
        for (Map.Entry<String, double[]> entry : perClass.entrySet()) {
            sb.append(sep).append(entry.getKey()).append('=').append(Arrays.toString(entry.getValue()));
            sep = ", ";
        }
        return sb.append("}]").toString();
    }

    private static String requireKey(String key, String model, String map) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException(map + " of model '" + model + "' must have non-blank names, found "
                    + (key == null ? "null" : "'" + key + "'"));
        }
        return key;
    }

    private static <T> T requireValue(T value, String key, String model) {
        if (value == null) {
            throw new IllegalArgumentException("value of '" + key + "' of model '" + model + "' must not be null");
        }
        return value;
    }

    /** Builder collecting metrics in insertion order. */
    public static final class Builder {
        private final String name;
        private final Map<String, Double> metrics = new LinkedHashMap<>();
        private final Map<String, double[]> perClass = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        /** Adds (or replaces) one scalar metric. */
        public Builder metric(String metric, double value) {
            metrics.put(metric, value);
            return this;
        }

        /** Adds (or replaces) several scalar metrics, for example a result's {@code toScalars()}. */
        public Builder metrics(Map<String, Double> values) {
            metrics.putAll(values);
            return this;
        }

        /** Adds (or replaces) one per-class array (copied at {@link #build()}). */
        public Builder perClass(String metric, double[] values) {
            perClass.put(metric, values);
            return this;
        }

        /** Adds (or replaces) several per-class arrays, for example accuracy's {@code toPerClass()}. */
        public Builder perClass(Map<String, double[]> values) {
            perClass.putAll(values);
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException if the name is blank or a key or value is missing
         */
        public ModelEvaluation build() {
            return new ModelEvaluation(name, metrics, perClass);
        }
    }
}
