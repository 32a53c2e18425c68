package org.erasediff.dl4j.unlearn;

import java.util.SplittableRandom;
import org.erasediff.core.data.BatchIterator;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.core.unlearn.ForgetTarget;
import org.erasediff.core.util.RngPurpose;
import org.erasediff.core.util.RngStreams;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Builds each step's training batch for unlearning in preallocated buffers: the remain rows
 * (Gaussian noise, target = the noise, weight {@code 1/B_r}) followed by the forget rows
 * (noisy images and targets from the {@link ForgetTarget}, weight {@code λ/B_f}, or 0 and 1/B_f
 * for the separate passes). Every draw is a function of (seed, purpose, step), so a resumed run
 * sees the same batches.
 */
final class UnlearningBatches {

    private final NoiseSchedule schedule;
    private final ForgetTarget target;
    private final RngStreams rng;
    private final BatchIterator remain;
    private final BatchIterator forget;
    private final int br;
    private final int bf;
    private final int numClasses;
    private final Random nd4jRng;

    /** All rows, remain first: noisy images, targets, timesteps, labels and weights. */
    final INDArray xt;
    final INDArray target0;
    final int[] timesteps;
    final int[] labels;
    final INDArray weights;
    /** Views of the remain rows and of the forget rows. */
    final INDArray xtRemain;
    final INDArray xtForget;
    final INDArray targetRemain;
    final INDArray targetForget;
    final int[] timestepsRemain;
    final int[] timestepsForget;
    final int[] labelsRemain;
    final int[] labelsForget;
    final INDArray weightsRemain;
    final INDArray weightsForget;
    private final int[] pseudo;

    UnlearningBatches(ForgetRemainSplit split, long[] chw, int br, int bf, boolean conditional, int numClasses,
                      NoiseSchedule schedule, ForgetTarget target, RngStreams rng) {
        this.schedule = schedule;
        this.target = target;
        this.rng = rng;
        this.br = br;
        this.bf = bf;
        this.numClasses = numClasses;
        this.remain = new BatchIterator(split.remain(), br, rng.seed(RngPurpose.REMAIN_BATCHES, 0));
        this.forget = new BatchIterator(split.forget(), bf, rng.seed(RngPurpose.FORGET_BATCHES, 0));
        this.nd4jRng = Nd4j.getRandomFactory().getNewRandomInstance(rng.runSeed());
        int b = br + bf;
        xt = Nd4j.create(DataType.FLOAT, b, chw[0], chw[1], chw[2]);
        target0 = xt.ulike();
        weights = Nd4j.create(DataType.FLOAT, b);
        timesteps = new int[b];
        labels = conditional ? new int[b] : null;
        xtRemain = Nd4j.create(DataType.FLOAT, br, chw[0], chw[1], chw[2]);
        targetRemain = xtRemain.ulike();
        xtForget = Nd4j.create(DataType.FLOAT, bf, chw[0], chw[1], chw[2]);
        targetForget = xtForget.ulike();
        timestepsRemain = new int[br];
        timestepsForget = new int[bf];
        labelsRemain = conditional ? new int[br] : null;
        labelsForget = conditional ? new int[bf] : null;
        weightsRemain = Nd4j.valueArrayOf(new long[] {br}, 1f / br, DataType.FLOAT);
        weightsForget = Nd4j.valueArrayOf(new long[] {bf}, 1f / bf, DataType.FLOAT);
        pseudo = conditional ? new int[bf] : null;
    }

    /** Positions the batch streams for a run resumed at {@code step}. */
    void skipTo(int step) {
        remain.skip(step);
        forget.skip(step);
    }

    /**
     * Draws step {@code step}'s remain and forget batches into the separate buffers; for
     * pseudo-label targets the detached target is computed with one forward pass of {@code model}.
     */
    void draw(int step, DiffusionGraph model) {
        BatchIterator.Batch r = remain.next();
        SplittableRandom tr = rng.random(RngPurpose.TIMESTEPS, step);
        int numT = schedule.numTimesteps();
        for (int i = 0; i < br; i++) {
            timestepsRemain[i] = tr.nextInt(numT);
        }
        for (int i = 0; i < bf; i++) {
            timestepsForget[i] = tr.nextInt(numT);
        }
        nd4jRng.setSeed(rng.seed(RngPurpose.NOISE, step));
        Nd4j.getExecutioner().exec(new GaussianDistribution(targetRemain, 0.0, 1.0), nd4jRng);
        schedule.addNoise(r.images(), targetRemain, timestepsRemain, xtRemain);
        if (labelsRemain != null) {
            System.arraycopy(r.labels(), 0, labelsRemain, 0, br);
        }

        BatchIterator.Batch f = forget.next();
        if (labelsForget != null) {
            System.arraycopy(f.labels(), 0, labelsForget, 0, bf);
        }
        Random targetRng = nd4jRng;
        targetRng.setSeed(rng.seed(RngPurpose.TARGETS, step));
        if (target instanceof ForgetTarget.NoiseTarget noiseTarget) {
            noiseTarget.fillTargetNoise(targetForget, targetRng);
            schedule.addNoise(f.images(), targetForget, timestepsForget, xtForget);
        } else if (target instanceof ForgetTarget.PseudoLabel pl) {
            Nd4j.getExecutioner().exec(new GaussianDistribution(targetForget, 0.0, 1.0), targetRng);
            schedule.addNoise(f.images(), targetForget, timestepsForget, xtForget);
            int[] other = pl.pseudoLabels(labelsForget, numClasses, rng.random(RngPurpose.TARGETS, step));
            System.arraycopy(other, 0, pseudo, 0, bf);
            // the target is the current model's prediction under the other condition, detached
            targetForget.assign(model.predictNoise(xtForget, timestepsForget, pseudo));
        } else {
            throw new IllegalStateException("unknown forget target " + target);
        }
    }

    /** Copies the separate buffers into the stacked batch with weights {@code 1/B_r} and {@code λ/B_f}. */
    void stack(double lambda) {
        xt.get(NDArrayIndex.interval(0, br)).assign(xtRemain);
        xt.get(NDArrayIndex.interval(br, br + bf)).assign(xtForget);
        target0.get(NDArrayIndex.interval(0, br)).assign(targetRemain);
        target0.get(NDArrayIndex.interval(br, br + bf)).assign(targetForget);
        System.arraycopy(timestepsRemain, 0, timesteps, 0, br);
        System.arraycopy(timestepsForget, 0, timesteps, br, bf);
        if (labels != null) {
            System.arraycopy(labelsRemain, 0, labels, 0, br);
            System.arraycopy(labelsForget, 0, labels, br, bf);
        }
        weights.get(NDArrayIndex.interval(0, br)).assign(1.0 / br);
        weights.get(NDArrayIndex.interval(br, br + bf)).assign(lambda / bf);
    }

    /** Remain batch size. */
    int remainSize() {
        return br;
    }

    /** Forget batch size. */
    int forgetSize() {
        return bf;
    }
}
