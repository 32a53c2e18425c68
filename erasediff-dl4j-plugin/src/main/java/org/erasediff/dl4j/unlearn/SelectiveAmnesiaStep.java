package org.erasediff.dl4j.unlearn;

import java.util.ArrayList;
import java.util.List;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.optim.GradientVectors;
import org.erasediff.core.sampling.Sampler;
import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.unlearn.BaselineConfig;
import org.erasediff.core.unlearn.BaselineMethod;
import org.erasediff.core.unlearn.ForgetTarget;
import org.erasediff.core.util.RngPurpose;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.loop.LoopState;
import org.erasediff.dl4j.loop.StepLosses;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Selective Amnesia. Before the first step: the original model generates {@code replayPerClass}
 * images of every class (guidance 2, DDIM); the remaining classes' images become the replay set;
 * the diagonal Fisher F of the original weights θ* is estimated by {@link FisherDiagonal} over
 * {@code fisherSamples} replayed images of every class.
 * Each step: the surrogate forget rows are fresh uniform-noise images in [−1, 1] labelled with a
 * forgotten class, the remain rows come from the replay set, and the direction is the gradient of
 * ℓ(surrogate) + γ·ℓ(replay) + (λ/P)·Σ F(θ − θ*)², P the pixels per image.
 *
 * <p>Why λ/P: the authors' losses, those of their Fisher included, are sums over an image's P
 * pixels; this project's denoising losses ℓ are means over them. F is the authors' (from pixel
 * sums), so dividing their whole objective by P gives this one: the same minimiser and the same
 * gradient direction at every step. With λ alone the penalty would weigh P times (784 for MNIST)
 * more against the data terms than in the authors' recipe.
 */
final class SelectiveAmnesiaStep extends BaselineStep {

    private final BaselineMethod.SelectiveAmnesia method;
    private final DiffusionGraph original;
    private LabelledImages replay;
    private List<INDArray> fisher;
    private List<INDArray> anchor;
    private List<INDArray> difference;
    private List<INDArray> weighted;
    private INDArray surrogate;
    private int[] surrogateLabels;
    private int[] forgottenClasses;
    private Random rng;
    private double penaltyWeight;

    SelectiveAmnesiaStep(BaselineConfig config, ScheduleConfig schedule, ForgetRemainSplit split,
                         DiffusionGraph original) {
        super(config, schedule, split, ForgetTarget.shiftedGaussian(0.0));
        this.method = (BaselineMethod.SelectiveAmnesia) config.method();
        this.original = original;
    }

    @Override
    LabelledImages remainImages() {
        return replay;
    }

    @Override
    public void prepare(LoopState state) {
        if (!state.working().isConditional()) {
            throw new IllegalArgumentException("sa needs a conditional model (replay and surrogate are per class)");
        }
        forgottenClasses = split.forgetClasses();
        LabelledImages generated = generate(state);
        boolean[] forgotten = new boolean[state.working().spec().numClasses()];
        for (int c : forgottenClasses) {
            forgotten[c] = true;
        }
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < generated.size(); i++) {
            if (!forgotten[generated.label(i)]) {
                kept.add(i);
            }
        }
        replay = generated.subset(kept.stream().mapToInt(Integer::intValue).toArray(), "sa-replay");
        super.prepare(state);
        anchor = GradientVectors.allocateLike(state.parameters());
        difference = GradientVectors.allocateLike(state.parameters());
        weighted = GradientVectors.allocateLike(state.parameters());
        fisher = new FisherDiagonal(state.engine(), generated, NoiseSchedule.create(scheduleConfig), state.rng(),
                method.fisherTimesteps(), fisherChunk(method.fisherTimesteps())).estimate(method.fisherSamples());
        long[] chw = state.working().imageShape();
        penaltyWeight = method.lambda() / ((double) chw[0] * chw[1] * chw[2]);
        surrogate = Nd4j.create(DataType.FLOAT, config.forgetBatchSize(), chw[0], chw[1], chw[2]);
        surrogateLabels = new int[config.forgetBatchSize()];
        for (int i = 0; i < surrogateLabels.length; i++) {
            surrogateLabels[i] = forgottenClasses[i % forgottenClasses.length];
        }
        rng = Nd4j.getRandomFactory().getNewRandomInstance(config.seed());
    }

    /** Rows per Fisher gradient pass: the largest divisor of {@code k} up to 100 (a multiple of 8 divides by 8). */
    static int fisherChunk(int k) {
        for (int c = Math.min(100, k); c > 1; c--) {
            if (k % c == 0) {
                return c;
            }
        }
        return k;
    }

    /** The Fisher diagonal, one array per trainable parameter (for tests). */
    List<INDArray> fisher() {
        return fisher;
    }

    /** The weight of Σ F(θ − θ*)² against the pixel-mean losses: λ/P (for tests). */
    double penaltyWeight() {
        return penaltyWeight;
    }

    /** {@code replayPerClass} images of every class from the original model, class by class interleaved. */
    private LabelledImages generate(LoopState state) {
        int classes = state.working().spec().numClasses();
        int n = classes * method.replayPerClass();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
        }
        long[] chw = state.working().imageShape();
        Sampler sampler = Sampler.builder(original, NoiseSchedule.create(scheduleConfig),
                SamplerConfig.builder(method.sampleSteps()).build(), chw).build();
        INDArray images = sampler.generate(labels, state.rng().seed(RngPurpose.SAMPLING, 0));
        float[] v = images.dup().data().asFloat();
        byte[] pixels = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            // [−1, 1] → 0..255, as the authors save their replay images
            pixels[i] = (byte) Math.round(Math.max(0, Math.min(255, (v[i] + 1) * 127.5)));
        }
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        return new LabelledImages("sa-generated", (int) chw[0], (int) chw[1], (int) chw[2], classes, pixels, labels,
                ids);
    }

    @Override
    public void drawBatch(int step, LoopState state) {
        batches.drawRemain(step);
        rng.setSeed(state.rng().seed(RngPurpose.TARGETS, step, 1));
        Nd4j.getExecutioner().exec(new UniformDistribution(surrogate, -1.0, 1.0), rng);
        batches.drawForgetFrom(surrogate, surrogateLabels, step, state.working());
    }

    @Override
    public StepLosses computeDirection(int step, LoopState state) {
        StackedLosses l = stackedPass(state, method.gamma(), 1.0);
        double replayLoss = l.remain();
        double surrogateLoss = l.forget();
        // λ·Σ F(θ − θ*)² and its gradient 2λ·F(θ − θ*), in preallocated buffers
        GradientVectors.copyInto(state.parameters(), difference);
        GradientVectors.addScaledInPlace(difference, -1.0, anchor);
        for (int p = 0; p < difference.size(); p++) {
            weighted.get(p).assign(difference.get(p)).muli(fisher.get(p));
        }
        double penalty = penaltyWeight * GradientVectors.dot(weighted, difference);
        GradientVectors.addScaledInPlace(state.gradients(), 2 * penaltyWeight, weighted);
        return new StepLosses(surrogateLoss + method.gamma() * replayLoss + penalty, replayLoss, surrogateLoss,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
}
