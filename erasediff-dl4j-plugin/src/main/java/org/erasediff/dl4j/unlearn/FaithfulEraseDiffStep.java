package org.erasediff.dl4j.unlearn;

import java.util.List;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.optim.GradientVectors;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.unlearn.ConstrainedDirection;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.core.unlearn.GradientStats;
import org.erasediff.core.unlearn.LambdaRule;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.engine.GradientEngine;
import org.erasediff.dl4j.loop.LoopState;
import org.erasediff.dl4j.loop.StepLosses;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The paper's EraseDiff update. Per outer step a remain and a forget batch; when q is needed, K
 * plain gradient-descent steps of size ξ (times the loop's step scale) on f from a copy of θ give
 * θ_K and q = f(θ) − f(θ_K), after which θ is restored (the outer optimiser's state is never
 * touched); λ by the configured rule; the direction δ = ∇L_r + λ∇L_f for the loop to clip and
 * apply. With a fixed λ and no q, δ is the gradient of one per-sample weighted loss over the
 * stacked remain and forget batches (one forward/backward instead of two): the inner loop and the
 * separate gradients cannot change the update, so they are skipped.
 */
final class FaithfulEraseDiffStep extends UnlearningStep {

    private final EraseDiffConfig config;

    private final boolean separatePasses;
    private List<INDArray> gradRemain;
    private List<INDArray> gradForget;
    private List<INDArray> innerSnapshot;

    FaithfulEraseDiffStep(EraseDiffConfig config, ScheduleConfig schedule, ForgetRemainSplit split,
                          DiffusionGraph original) {
        super(split, schedule, config.remainBatchSize(), config.forgetBatchSize(), config.forgetTarget(),
                config.remainTarget(), config.remainOriginalWeight(), original);
        this.config = config;
        separatePasses = config.lambdaRule().needsSeparateGradients() || config.runsInnerLoop();
    }

    @Override
    public String name() {
        return "erasediff-faithful";
    }

    @Override
    String methodConfigJson() {
        return config.toJson();
    }

    @Override
    boolean antitheticTimesteps() {
        return false;
    }

    @Override
    public void prepare(LoopState state) {
        super.prepare(state);
        if (separatePasses) {
            gradRemain = GradientVectors.allocateLike(state.parameters());
            gradForget = GradientVectors.allocateLike(state.parameters());
        }
        if (config.runsInnerLoop()) {
            innerSnapshot = GradientVectors.allocateLike(state.parameters());
        }
    }

    @Override
    public StepLosses computeDirection(int step, LoopState state) {
        GradientEngine engine = state.engine();
        UnlearningBatches.Rows r = batches.remainRows;
        UnlearningBatches.Rows f = batches.forgetRows;
        if (!separatePasses) {
            double lambda = ((LambdaRule.Fixed) config.lambdaRule()).lambda();
            StackedLosses l = stackedPass(state, 1.0, lambda);
            return new StepLosses(l.remain() + lambda * l.forget(), l.remain(), l.forget(), Double.NaN, Double.NaN,
                    lambda, Double.NaN, Double.NaN);
        }
        double lr = engine.computeGradients(r.xt, r.timesteps, r.labels, r.target, r.weights);
        GradientVectors.copyInto(state.gradients(), gradRemain);
        double lf = engine.computeGradients(f.xt, f.timesteps, f.labels, f.target, f.weights);
        GradientVectors.copyInto(state.gradients(), gradForget);
        double fK = config.runsInnerLoop() ? forgetLossAfterInnerSteps(state, f) : Double.NaN;
        double q = lf - fK;
        GradientStats stats = Double.isNaN(q) ? ConstrainedDirection.measure(gradRemain, gradForget)
                : ConstrainedDirection.measure(gradRemain, gradForget, q);
        double lambda = ConstrainedDirection.applyInPlace(config.lambdaRule(), gradRemain, gradForget, stats);
        GradientVectors.copyInto(gradRemain, state.gradients());
        return new StepLosses(lr + lambda * lf, lr, lf, q, fK, lambda, Math.sqrt(stats.normFSquared()),
                Math.sqrt(stats.normQSquared()));
    }

    /** f(θ_K): K plain GD steps of size ξ·(step scale) on f from θ, measured, then θ restored. */
    private double forgetLossAfterInnerSteps(LoopState state, UnlearningBatches.Rows f) {
        List<INDArray> params = state.parameters();
        double xi = config.innerStepSize() * state.stepScale();
        GradientVectors.copyInto(params, innerSnapshot);
        try {
            GradientVectors.addScaledInPlace(params, -xi, gradForget);
            for (int k = 1; k < config.innerSteps(); k++) {
                state.engine().computeGradients(f.xt, f.timesteps, f.labels, f.target, f.weights);
                GradientVectors.addScaledInPlace(params, -xi, state.gradients());
            }
            return state.engine().evaluateLoss(f.xt, f.timesteps, f.labels, f.target, f.weights);
        } finally {
            GradientVectors.copyInto(innerSnapshot, params);
        }
    }
}
