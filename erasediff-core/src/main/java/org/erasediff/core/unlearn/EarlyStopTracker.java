package org.erasediff.core.unlearn;

/**
 * Applies {@link EarlyStopSettings} to a run: feed it the watched metric once per step and stop
 * when it says so. The value tracked is the exponential smoothing
 * {@code s ← smoothing·s + (1 − smoothing)·value}, started at the first value; a step improves when
 * {@code s < best − minDelta}. Not thread-safe; one tracker per run.
 */
public final class EarlyStopTracker {

    private final EarlyStopSettings settings;
    private double smoothed = Double.NaN;
    private double best = Double.POSITIVE_INFINITY;
    private int stepsWithoutImprovement;

    /**
     * Creates a tracker that has seen nothing yet.
     *
     * @param settings the early-stop settings
     */
    public EarlyStopTracker(EarlyStopSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        this.settings = settings;
    }

    /**
     * Records one step's value of the watched metric.
     *
     * @param value the metric, finite
     * @return {@code true} when the smoothed metric has not improved for {@code patience} steps
     * @throws NonFiniteGradientException if the value is NaN or infinite
     */
    public boolean observe(double value) {
        if (!Double.isFinite(value)) {
            throw new NonFiniteGradientException(settings.metric() + " must be finite, was " + value);
        }
        smoothed = Double.isNaN(smoothed) ? value
                : settings.smoothing() * smoothed + (1.0 - settings.smoothing()) * value;
        if (smoothed < best - settings.minDelta()) {
            best = smoothed;
            stepsWithoutImprovement = 0;
        } else {
            stepsWithoutImprovement++;
        }
        return stepsWithoutImprovement >= settings.patience();
    }

    /** The current smoothed value (NaN before the first observation). */
    public double smoothedValue() {
        return smoothed;
    }

    /** Consecutive steps without improvement so far. */
    public int stepsWithoutImprovement() {
        return stepsWithoutImprovement;
    }
}
