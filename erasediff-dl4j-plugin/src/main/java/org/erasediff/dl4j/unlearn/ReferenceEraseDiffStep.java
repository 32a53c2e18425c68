package org.erasediff.dl4j.unlearn;

import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.optim.GradientVectors;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.core.unlearn.LambdaRule;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.loop.LoopState;
import org.erasediff.dl4j.loop.StepLosses;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authors' code path. Every {@code referenceOuterStepsPerRound} outer steps a round starts:
 * save θ; run {@code referenceInnerEpochs} epochs of the run's one shared updater on L_f, each one
 * pass over the whole forget set with no gradient clipping and no EMA; record c, the
 * sample-weighted mean L_f of the last epoch; restore θ (not the updater's moments or its count).
 * Each outer step then minimises L_r + λ·(L_f − c) with c a constant, so its direction is the
 * gradient of L_r + λ·L_f over the stacked batches; the loop clips it, applies the shared updater
 * and updates the EMA. Timesteps come in antithetic pairs (t, T−1−t), as in the authors' code.
 * The step reports c and q = L_f − c.
 */
final class ReferenceEraseDiffStep extends UnlearningStep {

    private final EraseDiffConfig config;

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceEraseDiffStep.class);
    /** The method scalar holding the current round's constant c. */
    static final String ROUND_CONSTANT = "round_constant_c";

    private java.util.List<INDArray> roundStart;

    ReferenceEraseDiffStep(EraseDiffConfig config, ScheduleConfig schedule, ForgetRemainSplit split,
                          DiffusionGraph original) {
        super(split, schedule, config.remainBatchSize(), config.forgetBatchSize(), config.forgetTarget(),
                config.remainTarget(), config.remainOriginalWeight(), original);
        this.config = config;
    }

    @Override
    public String name() {
        return "erasediff-reference";
    }

    @Override
    String methodConfigJson() {
        return config.toJson();
    }

    @Override
    boolean antitheticTimesteps() {
        return true;
    }

    @Override
    public void prepare(LoopState state) {
        super.prepare(state);
        roundStart = GradientVectors.allocateLike(state.parameters());
    }

    @Override
    public StepLosses computeDirection(int step, LoopState state) {
        if (config.referenceInnerEpochs() > 0 && step % config.referenceOuterStepsPerRound() == 0) {
            state.setScalar(ROUND_CONSTANT, innerEpochs(step, state));
        }
        double c = state.scalar(ROUND_CONSTANT, Double.NaN);
        double lambda = ((LambdaRule.Fixed) config.lambdaRule()).lambda();
        StackedLosses l = stackedPass(state, 1.0, lambda);
        double q = l.forget() - c;
        return new StepLosses(l.remain() + lambda * (Double.isNaN(c) ? l.forget() : q), l.remain(), l.forget(), q, c,
                lambda, Double.NaN, Double.NaN);
    }

    /** The round's inner epochs on the shared updater; returns c and leaves θ as it found it. */
    private double innerEpochs(int step, LoopState state) {
        GradientVectors.copyInto(state.parameters(), roundStart);
        int perEpoch = batches.batchesPerEpoch();
        double c = Double.NaN;
        for (int e = 0; e < config.referenceInnerEpochs(); e++) {
            double sum = 0;
            int n = 0;
            for (int i = 0; i < perEpoch; i++) {
                UnlearningBatches.Rows f = batches.drawInnerEpochBatch(step, e, i, state.working());
                double loss = state.engine().computeGradients(f.xt, f.timesteps, f.labels, f.target, f.weights);
                state.updater().apply(state.gradients(), state.parameters());
                sum += loss * f.size();
                n += f.size();
            }
            c = sum / n;
        }
        GradientVectors.copyInto(roundStart, state.parameters());
        LOG.debug("round at step {}: c = {}", step, c);
        return c;
    }
}
