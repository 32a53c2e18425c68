package org.erasediff.dl4j.train;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.erasediff.core.data.BatchIterator;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.sampling.NoisePredictor;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.core.schedule.TrainingTimesteps;
import org.erasediff.core.util.RngPurpose;
import org.erasediff.dl4j.loop.LoopState;
import org.erasediff.dl4j.loop.StepAlgorithm;
import org.erasediff.dl4j.loop.StepLosses;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The DDPM objective as a step of the shared loop: a batch of training images, timesteps
 * (antithetic pairs by default), labels replaced by the null label with the dropout probability
 * (for classifier-free guidance), Gaussian noise ε, x_t = √ᾱ_t·x_0 + √(1−ᾱ_t)·ε, and the gradient
 * of the mean ‖ε − ε_θ(x_t, t, c)‖².
 */
final class DdpmStep implements StepAlgorithm {

    private final DdpmTrainingConfig config;
    private final LabelledImages data;
    private final NoiseSchedule schedule;
    private BatchIterator batches;
    private INDArray noise;
    private INDArray xt;
    private INDArray weights;
    private int[] timesteps;
    private int[] labels;
    /** Whether the graph takes labels; known once {@link #prepare} has run. */
    private Boolean conditional;
    private Random noiseRng;

    DdpmStep(DdpmTrainingConfig config, LabelledImages data) {
        this.config = config;
        this.data = data;
        this.schedule = NoiseSchedule.create(config.schedule());
    }

    @Override
    public String name() {
        return "ddpm";
    }

    @Override
    public String configJson() {
        return config.toJson();
    }

    /**
     * The run length and the checkpoint interval may change between sittings; nothing else. An unconditional
     * graph's checkpoint written with a label dropout (which did nothing there; earlier releases recorded 0.1)
     * resumes under 0.
     */
    @Override
    public String incompatibility(String savedConfigJson) {
        DdpmTrainingConfig saved = DdpmTrainingConfig.fromJson(savedConfigJson);
        if (conditional == null) {
            throw new IllegalStateException("incompatibility() is called after prepare()");
        }
        double labelDropout = conditional ? saved.labelDropout() : config.labelDropout();
        DdpmTrainingConfig comparable = new DdpmTrainingConfig(config.steps(), saved.batchSize(), saved.learningRate(),
                saved.warmupSteps(), saved.finalLrFraction(), labelDropout, saved.clipNorm(), saved.emaDecay(),
                saved.antithetic(), saved.seed(), config.checkpointEvery(), saved.schedule());
        return comparable.equals(config) ? null : "it was written with another config (" + savedConfigJson
                + "; only steps and checkpointEvery may change)";
    }

    @Override
    public Map<String, DataDescription> data() {
        return Map.of("train", new DataDescription(data.name(), data.size(), data.contentHash()));
    }

    @Override
    public void prepare(LoopState state) {
        long[] chw = state.working().imageShape();
        if (data.channels() != chw[0] || data.height() != chw[1] || data.width() != chw[2]) {
            throw new IllegalArgumentException("images are " + data.channels() + "x" + data.height() + "x"
                    + data.width() + " but the graph takes " + Arrays.toString(chw));
        }
        conditional = state.working().isConditional();
        if (!conditional && config.labelDropout() != 0) {
            throw new IllegalArgumentException("labelDropout is " + config.labelDropout() + " but the graph is "
                    + "unconditional (it has no labels to drop): set it to 0");
        }
        if (conditional && data.numClasses() > state.working().spec().numClasses()) {
            throw new IllegalArgumentException("the data has " + data.numClasses() + " classes but the graph only "
                    + state.working().spec().numClasses());
        }
        int b = config.batchSize();
        batches = state.addStream("train", data, b, RngPurpose.REMAIN_BATCHES);
        noise = Nd4j.create(DataType.FLOAT, b, chw[0], chw[1], chw[2]);
        xt = noise.ulike();
        weights = Nd4j.valueArrayOf(new long[] {b}, 1f / b, DataType.FLOAT);
        timesteps = new int[b];
        labels = conditional ? new int[b] : null;
        noiseRng = Nd4j.getRandomFactory().getNewRandomInstance(config.seed());
    }

    @Override
    public void drawBatch(int step, LoopState state) {
        BatchIterator.Batch batch = batches.next();
        SplittableRandom t = state.rng().random(RngPurpose.TIMESTEPS, step);
        if (config.antithetic()) {
            TrainingTimesteps.antithetic(t, timesteps, schedule.numTimesteps());
        } else {
            TrainingTimesteps.uniform(t, timesteps, schedule.numTimesteps());
        }
        if (labels != null) {
            SplittableRandom drop = state.rng().random(RngPurpose.LABEL_DROPOUT, step);
            for (int i = 0; i < labels.length; i++) {
                labels[i] = drop.nextDouble() < config.labelDropout() ? NoisePredictor.NULL_LABEL : batch.labels()[i];
            }
        }
        noiseRng.setSeed(state.rng().seed(RngPurpose.NOISE, step));
        Nd4j.getExecutioner().exec(new GaussianDistribution(noise, 0.0, 1.0), noiseRng);
        schedule.addNoise(batch.images(), noise, timesteps, xt);
    }

    @Override
    public MultiDataSet listenerBatch() {
        return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {xt}, new INDArray[] {noise});
    }

    @Override
    public StepLosses computeDirection(int step, LoopState state) {
        return StepLosses.ofLoss(state.engine().computeGradients(xt, timesteps, labels, noise, weights));
    }
}
