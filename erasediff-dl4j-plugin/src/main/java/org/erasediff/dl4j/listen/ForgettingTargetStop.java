package org.erasediff.dl4j.listen;

import java.util.function.ToDoubleFunction;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops unlearning once a forgetting target is met: every {@code every} steps it asks a probe
 * (typically: generate a few images of the forgotten class and return the classifier's mean
 * P(y = c_f)) and stops when the value is at most {@code threshold}. The probe sees the weights
 * the run would return now (the EMA average when the EMA is on), not the raw parameters.
 */
public final class ForgettingTargetStop implements RunListener {

    private static final Logger LOG = LoggerFactory.getLogger(ForgettingTargetStop.class);

    private final ToDoubleFunction<DiffusionGraph> probe;
    private final double threshold;
    private final int every;
    private double lastValue = Double.NaN;

    /**
     * @param probe     measures forgetting on the live model (lower is more forgotten)
     * @param threshold stop when the probe's value is at most this
     * @param every     steps between probes (&gt; 0)
     */
    public ForgettingTargetStop(ToDoubleFunction<DiffusionGraph> probe, double threshold, int every) {
        if (every <= 0) {
            throw new IllegalArgumentException("every must be > 0, was " + every);
        }
        this.probe = probe;
        this.threshold = threshold;
        this.every = every;
    }

    @Override
    public boolean onStep(StepMetrics m, RunContext context) {
        if ((m.step() + 1) % every != 0) {
            return true;
        }
        lastValue = context.withReturnedWeights(probe::applyAsDouble);
        if (lastValue <= threshold) {
            LOG.info("forgetting target met at step {}: {} <= {}", m.step(), lastValue, threshold);
            return false;
        }
        return true;
    }

    /** The last probed value (NaN before the first probe). */
    public double lastValue() {
        return lastValue;
    }
}
