package org.erasediff.dl4j.unlearn;

import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.unlearn.BaselineConfig;
import org.erasediff.core.unlearn.ForgetTarget;
import org.erasediff.dl4j.loop.LoopState;
import org.erasediff.dl4j.loop.StepLosses;

/** Finetune: keep training on the remaining data; the direction is ∇L_r. */
final class FinetuneStep extends BaselineStep {

    FinetuneStep(BaselineConfig config, ScheduleConfig schedule, ForgetRemainSplit split) {
        super(config, schedule, split, ForgetTarget.shiftedGaussian(0.0));
    }

    @Override
    boolean drawsForget() {
        return false;
    }

    @Override
    public StepLosses computeDirection(int step, LoopState state) {
        UnlearningBatches.Rows r = batches.remainRows;
        double lr = state.engine().computeGradients(r.xt, r.timesteps, r.labels, r.target, r.weights);
        return new StepLosses(lr, lr, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
}
