package org.erasediff.dl4j.unlearn;

import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.optim.GradientVectors;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.unlearn.BaselineConfig;
import org.erasediff.core.unlearn.ForgetTarget;
import org.erasediff.dl4j.loop.LoopState;
import org.erasediff.dl4j.loop.StepLosses;

/**
 * NegGrad: gradient ascent on the ordinary denoising loss over the forget set; the direction is
 * −∇L_f, where L_f regresses the true Gaussian noise.
 */
final class NegGradStep extends BaselineStep {

    NegGradStep(BaselineConfig config, ScheduleConfig schedule, ForgetRemainSplit split) {
        super(config, schedule, split, ForgetTarget.shiftedGaussian(0.0));
    }

    @Override
    boolean drawsRemain() {
        return false;
    }

    @Override
    public StepLosses computeDirection(int step, LoopState state) {
        UnlearningBatches.Rows f = batches.forgetRows;
        double lf = state.engine().computeGradients(f.xt, f.timesteps, f.labels, f.target, f.weights);
        GradientVectors.scaleInPlace(state.gradients(), -1.0);
        return new StepLosses(-lf, Double.NaN, lf, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
}
