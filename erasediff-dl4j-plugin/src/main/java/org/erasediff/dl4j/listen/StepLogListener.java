package org.erasediff.dl4j.listen;

import java.util.Locale;
import org.erasediff.core.progress.ProgressMeter;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.unlearn.EraseDiffListener;
import org.erasediff.dl4j.unlearn.StepMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line every {@code every} steps (and at the last step): progress with ETA, L_r, L_f, q,
 * λ, gradient norms and whether the direction was clipped.
 */
public final class StepLogListener implements EraseDiffListener {

    private static final Logger LOG = LoggerFactory.getLogger(StepLogListener.class);

    private final int every;
    private ProgressMeter meter;
    private int total;

    /** @param every steps between lines (&gt; 0) */
    public StepLogListener(int every) {
        if (every <= 0) {
            throw new IllegalArgumentException("every must be > 0, was " + every);
        }
        this.every = every;
    }

    @Override
    public void onStart(int totalSteps, int startStep) {
        total = totalSteps;
        meter = new ProgressMeter(LOG, "unlearn", totalSteps, startStep, 0);
    }

    @Override
    public boolean onStep(StepMetrics m, DiffusionGraph model) {
        int done = m.step() + 1;
        if (done % every == 0 || done == total || m.step() == 0) {
            meter.update(done, () -> format(m));
        }
        return true;
    }

    @Override
    public void onRollback(int step, String reason, double newStepScale) {
        LOG.warn("step {} rolled back ({}); step scale now {}", step, reason, newStepScale);
    }

    static String format(StepMetrics m) {
        return String.format(Locale.ROOT, "L_r %.4f L_f %.4f q %.3g λ %.3g |∇L_r| %.3g |∇L_f| %.3g |δ| %.3g%s",
                m.remainLoss(), m.forgetLoss(), m.q(), m.lambda(), m.remainGradNorm(), m.forgetGradNorm(),
                m.directionNorm(), m.clipped() ? " (clipped)" : "");
    }
}
