package org.erasediff.dl4j.unlearn;

import java.util.Arrays;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.sampling.NoisePredictor;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.unlearn.BaselineConfig;
import org.erasediff.core.unlearn.BaselineMethod;
import org.erasediff.core.unlearn.ForgetTarget;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.loop.LoopState;
import org.erasediff.dl4j.loop.StepLosses;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ESD, erasing by negative guidance: on noised forget images x_t, ε_θ(x_t, c) regresses onto
 * ε*(x_t, ∅) − η·(ε*(x_t, c) − ε*(x_t, ∅)), where ε* is the original model, frozen (the input
 * graph, which is only read).
 */
final class EsdStep extends BaselineStep {

    private final DiffusionGraph frozen;
    private final double eta;
    private int[] nullLabels;

    EsdStep(BaselineConfig config, ScheduleConfig schedule, ForgetRemainSplit split, DiffusionGraph frozen) {
        super(config, schedule, split, ForgetTarget.shiftedGaussian(0.0));
        this.frozen = frozen;
        this.eta = ((BaselineMethod.Esd) config.method()).eta();
    }

    @Override
    public void prepare(LoopState state) {
        if (!state.working().isConditional()) {
            throw new IllegalArgumentException("esd needs a conditional model (negative guidance against a label)");
        }
        super.prepare(state);
        nullLabels = new int[config.forgetBatchSize()];
        Arrays.fill(nullLabels, NoisePredictor.NULL_LABEL);
    }

    @Override
    boolean drawsRemain() {
        return false;
    }

    @Override
    public void drawBatch(int step, LoopState state) {
        super.drawBatch(step, state);
        UnlearningBatches.Rows f = batches.forgetRows;
        INDArray unconditional = frozen.predictNoise(f.xt, f.timesteps, nullLabels);
        INDArray conditional = frozen.predictNoise(f.xt, f.timesteps, f.labels);
        // (1 + η)·ε*(x_t, ∅) − η·ε*(x_t, c)
        f.target.assign(unconditional).muli(1.0 + eta).subi(conditional.muli(eta));
    }

    @Override
    public StepLosses computeDirection(int step, LoopState state) {
        UnlearningBatches.Rows f = batches.forgetRows;
        double lf = state.engine().computeGradients(f.xt, f.timesteps, f.labels, f.target, f.weights);
        return new StepLosses(lf, Double.NaN, lf, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
}
