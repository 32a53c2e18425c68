package org.erasediff.dl4j.unlearn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.erasediff.core.data.BatchIterator;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.optim.GradientClipping;
import org.erasediff.core.optim.GradientVectors;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.unlearn.BaselineConfig;
import org.erasediff.core.unlearn.BaselineMethod;
import org.erasediff.core.unlearn.ForgetTarget;
import org.erasediff.core.util.RngPurpose;
import org.erasediff.dl4j.loop.LoopState;
import org.erasediff.dl4j.loop.StepLosses;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * SalUn: before the first step, a saliency mask keeps the weights whose |Σ_b ∇L_f| over one pass
 * of the forget set (the ordinary denoising loss, each batch's gradient clipped to norm 1) is
 * among the largest {@code sparsity} share; each step's direction is the gradient of
 * L_f(relabelled) + α·L_r, masked, where the relabelled L_f regresses ε_θ(x_t, c_f) onto the
 * detached ε_θ(x_t, c') with c' the next class after the first forgotten one that is not itself
 * forgotten.
 */
final class SalUnStep extends BaselineStep {

    private final BaselineMethod.SalUn method;
    private List<INDArray> mask;

    SalUnStep(BaselineConfig config, ScheduleConfig schedule, ForgetRemainSplit split, int numClasses) {
        super(config, schedule, split, ForgetTarget.fixedClass(relabel(split, numClasses)));
        this.method = (BaselineMethod.SalUn) config.method();
    }

    /** c': the next class after the first forgotten one (cyclically) that does not occur in the forget set. */
    static int relabel(ForgetRemainSplit split, int numClasses) {
        boolean[] forgotten = new boolean[Math.max(numClasses, 1)];
        for (int i = 0; i < split.forget().size(); i++) {
            forgotten[split.forget().label(i)] = true;
        }
        int first = firstForgottenLabel(split);
        for (int k = 1; k <= numClasses; k++) {
            int c = (first + k) % numClasses;
            if (!forgotten[c]) {
                return c;
            }
        }
        throw new IllegalArgumentException("salun needs a class outside the forget set, but it covers all "
                + numClasses + " classes");
    }

    @Override
    public void prepare(LoopState state) {
        super.prepare(state);
        mask = saliencyMask(state);
    }

    /** The 0/1 mask, one array per trainable parameter (read-only view for tests). */
    List<INDArray> mask() {
        return mask;
    }

    private List<INDArray> saliencyMask(LoopState state) {
        UnlearningBatches plain = new UnlearningBatches(split,
                new BatchIterator(split.remain(), 1, state.rng().seed(RngPurpose.REMAIN_BATCHES, 1)),
                new BatchIterator(split.forget(), config.forgetBatchSize(), state.rng().seed(RngPurpose.FORGET_BATCHES, 1)),
                state.working().imageShape(), state.working(), NoiseSchedule.create(scheduleConfig),
                ForgetTarget.shiftedGaussian(0.0), state.rng(), true);
        List<INDArray> sum = GradientVectors.allocateLike(state.parameters());
        GradientVectors.scaleInPlace(sum, 0.0);
        for (int i = 0; i < plain.batchesPerEpoch(); i++) {
            UnlearningBatches.Rows f = plain.drawInnerEpochBatch(0, 0, i, state.working());
            state.engine().computeGradients(f.xt, f.timesteps, f.labels, f.target, f.weights);
            GradientClipping.clipByGlobalNorm(state.gradients(), 1.0);
            GradientVectors.addScaledInPlace(sum, 1.0, state.gradients());
        }
        long total = 0;
        for (INDArray s : sum) {
            Transforms.abs(s, false);
            total += s.length();
        }
        float[] all = new float[(int) total];
        int at = 0;
        for (INDArray s : sum) {
            float[] v = s.dup().data().asFloat();
            System.arraycopy(v, 0, all, at, v.length);
            at += v.length;
        }
        Arrays.sort(all);
        int keep = (int) Math.round(method.sparsity() * total);
        float threshold = keep == 0 ? Float.POSITIVE_INFINITY : all[(int) total - keep];
        List<INDArray> m = new ArrayList<>();
        for (INDArray s : sum) {
            m.add(s.gte(threshold).castTo(s.dataType()));
        }
        return m;
    }

    @Override
    public StepLosses computeDirection(int step, LoopState state) {
        StackedLosses l = stackedPass(state, method.alpha(), 1.0);
        List<INDArray> g = state.gradients();
        for (int i = 0; i < g.size(); i++) {
            g.get(i).muli(mask.get(i));
        }
        return new StepLosses(l.forget() + method.alpha() * l.remain(), l.remain(), l.forget(), Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN);
    }
}
