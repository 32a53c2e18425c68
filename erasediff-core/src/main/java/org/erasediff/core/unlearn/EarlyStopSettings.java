package org.erasediff.core.unlearn;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * When an unlearning run may stop before its last outer step: once a smoothed per-step metric
 * (lower is better) has not improved by at least {@code minDelta} for {@code patience}
 * consecutive steps. Evaluated by an {@link EarlyStopTracker}.
 *
 * <p>Defaults (JSON fields that are absent): patience {@value #DEFAULT_PATIENCE}, minDelta
 * {@value #DEFAULT_MIN_DELTA}, smoothing {@value #DEFAULT_SMOOTHING}; the metric is required.
 *
 * @param metric    what to watch
 * @param patience  steps without improvement before stopping, {@code >= 1}
 * @param minDelta  the least decrease that counts as an improvement, {@code >= 0} and finite
 * @param smoothing weight of the past in the exponential smoothing of the per-step values
 *                  (minibatch losses are noisy), in {@code [0, 1)}; {@code 0} watches raw values
 */
public record EarlyStopSettings(Metric metric, int patience, double minDelta, double smoothing) {

    /** Default patience in steps. */
    public static final int DEFAULT_PATIENCE = 20;
    /** Default least improvement. */
    public static final double DEFAULT_MIN_DELTA = 0.0;
    /** Default smoothing weight. */
    public static final double DEFAULT_SMOOTHING = 0.9;

    /** The per-step quantities that can be watched; all are better when lower. */
    public enum Metric {
        /** The remaining loss L_r on the step's remain batch. */
        REMAIN_LOSS,
        /** The forgetting loss L_f on the step's forget batch. */
        FORGET_LOSS,
        /** The constraint value q = f(θ) − f(θ_K); needs the inner loop to run. */
        CONSTRAINT_GAP
    }

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException naming the field outside its allowed range
     */
    public EarlyStopSettings {
        if (metric == null) {
            throw new IllegalArgumentException(
                    "earlyStop.metric must be one of REMAIN_LOSS, FORGET_LOSS, CONSTRAINT_GAP, was null");
        }
        if (patience < 1) {
            throw new IllegalArgumentException("earlyStop.patience must be >= 1, was " + patience);
        }
        if (!(minDelta >= 0.0) || !Double.isFinite(minDelta)) {
            throw new IllegalArgumentException("earlyStop.minDelta must be >= 0 and finite, was " + minDelta);
        }
        if (!(smoothing >= 0.0 && smoothing < 1.0)) {
            throw new IllegalArgumentException("earlyStop.smoothing must be in [0, 1), was " + smoothing);
        }
    }

    /**
     * Settings for a metric with the default patience, minDelta and smoothing.
     *
     * @param metric what to watch
     * @return the settings
     */
    public static EarlyStopSettings on(Metric metric) {
        return new EarlyStopSettings(metric, DEFAULT_PATIENCE, DEFAULT_MIN_DELTA, DEFAULT_SMOOTHING);
    }

    /**
     * JSON factory: absent optional fields take the documented defaults.
     *
     * @param metric    required
     * @param patience  default {@value #DEFAULT_PATIENCE}
     * @param minDelta  default {@value #DEFAULT_MIN_DELTA}
     * @param smoothing default {@value #DEFAULT_SMOOTHING}
     * @return the validated settings
     */
    @JsonCreator
    public static EarlyStopSettings fromJson(@JsonProperty("metric") Metric metric,
                                             @JsonProperty("patience") Integer patience,
                                             @JsonProperty("minDelta") Double minDelta,
                                             @JsonProperty("smoothing") Double smoothing) {
        return new EarlyStopSettings(metric,
                patience == null ? DEFAULT_PATIENCE : patience,
                minDelta == null ? DEFAULT_MIN_DELTA : minDelta,
                smoothing == null ? DEFAULT_SMOOTHING : smoothing);
    }
}
