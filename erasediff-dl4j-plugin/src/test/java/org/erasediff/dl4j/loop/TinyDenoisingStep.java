package org.erasediff.dl4j.loop;

import java.util.Map;
import org.erasediff.core.data.BatchIterator;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.util.RngPurpose;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A minimal method for loop tests: regress the noise added at a fixed timestep, one batch per
 * step; optionally poisons the direction with NaN at given steps on their first {@code poisonedAttempts}.
 */
final class TinyDenoisingStep implements StepAlgorithm {

    private final LabelledImages data;
    private final int batchSize;
    private final int poisonStep;
    private final int poisonedAttempts;
    private int attemptsAtPoisonStep;
    private BatchIterator batches;
    private INDArray xt;
    private INDArray noise;
    private INDArray weights;
    private int[] t;
    private int[] labels;
    private Random rng;
    int computeCalls;

    TinyDenoisingStep(LabelledImages data, int batchSize, int poisonStep, int poisonedAttempts) {
        this.data = data;
        this.batchSize = batchSize;
        this.poisonStep = poisonStep;
        this.poisonedAttempts = poisonedAttempts;
    }

    @Override
    public String name() {
        return "tiny";
    }

    @Override
    public String configJson() {
        return "{\"batch\":" + batchSize + "}";
    }

    @Override
    public Map<String, DataDescription> data() {
        return Map.of("train", new DataDescription(data.name(), data.size(), data.contentHash()));
    }

    @Override
    public void prepare(LoopState state) {
        batches = state.addStream("train", data, batchSize, RngPurpose.REMAIN_BATCHES);
        xt = Nd4j.create(DataType.FLOAT, batchSize, 1, data.height(), data.width());
        noise = xt.ulike();
        weights = Nd4j.valueArrayOf(new long[] {batchSize}, 1f / batchSize, DataType.FLOAT);
        t = new int[batchSize];
        java.util.Arrays.fill(t, 500);
        labels = new int[batchSize];
        rng = Nd4j.getRandomFactory().getNewRandomInstance(1);
    }

    @Override
    public void drawBatch(int step, LoopState state) {
        BatchIterator.Batch b = batches.next();
        rng.setSeed(state.rng().seed(RngPurpose.NOISE, step));
        Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.random.impl.GaussianDistribution(noise, 0, 1), rng);
        xt.assign(b.images().mul(0.7).addi(noise.mul(0.7)));
        System.arraycopy(b.labels(), 0, labels, 0, batchSize);
    }

    @Override
    public MultiDataSet listenerBatch() {
        return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {xt}, new INDArray[] {noise});
    }

    @Override
    public StepLosses computeDirection(int step, LoopState state) {
        computeCalls++;
        double loss = state.engine().computeGradients(xt, t, labels, noise, weights);
        if (step == poisonStep && attemptsAtPoisonStep++ < poisonedAttempts) {
            state.gradients().get(0).putScalar(0, Double.NaN);
        }
        return StepLosses.ofLoss(loss);
    }
}
