package org.erasediff.core.sampling;

import java.util.Arrays;
import java.util.Objects;
import org.erasediff.core.schedule.NoiseSchedule;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates images with a {@link NoisePredictor}: x_T ~ N(0, I), then the config's
 * {@link Solver} over the timesteps chosen by its spacing, with classifier-free guidance
 * ({@link ClassifierFreeGuidance}) for conditional models: the generalised DDIM step
 * ({@link DdimStep}) by default, or DPM-Solver++(2M) ({@link DpmSolverPlusPlusStep}). Either
 * way the model is called once per step (with 2B rows when guidance is on).
 *
 * <p>Requests are processed in chunks of at most {@code batchSize} images. Sampling is
 * reproducible: all randomness (x_T, then each step's noise, chunk after chunk) comes from one
 * ND4J {@link Random} created from the seed, never from the global RNG, so the same seed, batch
 * size and (deterministic) model give bit-identical output. Instances are immutable and may be
 * shared between threads if the model may.
 */
public final class Sampler {

    private static final Logger log = LoggerFactory.getLogger(Sampler.class);

    /** Default number of images per chunk. */
    public static final int DEFAULT_BATCH_SIZE = 64;

    private final NoisePredictor model;
    private final SamplerConfig config;
    private final long[] imageShape;
    private final int batchSize;
    private final DataType dataType;
    private final DdimStep step;
    /** Non-null exactly when the config's solver is DPM-Solver++(2M). */
    private final DpmSolverPlusPlusStep dpmStep;
    private final int[] timesteps;

    private Sampler(Builder b) {
        this.model = b.model;
        this.config = b.config;
        this.imageShape = b.imageShape;
        this.batchSize = b.batchSize;
        this.dataType = b.dataType;
        this.step = new DdimStep(b.schedule, config.eta(), config.clip());
        this.dpmStep = config.solver() == Solver.DPM_SOLVER_PP_2M
                ? new DpmSolverPlusPlusStep(b.schedule, config.clip()) : null;
        this.timesteps = config.spacing().timesteps(b.schedule.numTimesteps(), config.steps());
    }

    /**
     * Starts a builder.
     *
     * @param model      the noise predictor
     * @param schedule   the schedule the model was trained with; T must be ≥ config.steps()
     * @param config     sampler settings
     * @param imageShape shape of one image, {@code [C, H, W]}
     * @return a builder with batch size 64 and FLOAT data
     */
    public static Builder builder(NoisePredictor model, NoiseSchedule schedule, SamplerConfig config,
                                  long... imageShape) {
        return new Builder(model, schedule, config, imageShape);
    }

    /**
     * Generates one image per label with classifier-free guidance (conditional models only).
     *
     * @param labels class label per image, or {@link NoisePredictor#NULL_LABEL} for unguided
     *               unconditional samples; not modified
     * @param seed   RNG seed
     * @return a new array {@code [N, C, H, W]} in [−1, 1], owned by the caller
     */
    public INDArray generate(int[] labels, long seed) {
        return generate(labels, seed, SamplingProgress.NONE);
    }

    /**
     * As {@link #generate(int[], long)}, reporting progress.
     *
     * @param labels   class label per image (conditional models only); not modified
     * @param seed     RNG seed
     * @param progress called after every step
     * @return a new array {@code [N, C, H, W]} in [−1, 1], owned by the caller
     */
    public INDArray generate(int[] labels, long seed, SamplingProgress progress) {
        Objects.requireNonNull(labels, "labels");
        if (!model.isConditional()) {
            throw new IllegalArgumentException(
                    "the model is unconditional: call generate(count, seed) instead of passing labels");
        }
        return run(labels.length, labels, seed, progress);
    }

    /**
     * Generates images without a condition: an unconditional model's samples, or a conditional
     * model's samples for {@link NoisePredictor#NULL_LABEL}.
     *
     * @param count number of images, ≥ 1
     * @param seed  RNG seed
     * @return a new array {@code [count, C, H, W]} in [−1, 1], owned by the caller
     */
    public INDArray generate(int count, long seed) {
        return generate(count, seed, SamplingProgress.NONE);
    }

    /**
     * As {@link #generate(int, long)}, reporting progress.
     *
     * @param count    number of images, ≥ 1
     * @param seed     RNG seed
     * @param progress called after every step
     * @return a new array {@code [count, C, H, W]} in [−1, 1], owned by the caller
     */
    public INDArray generate(int count, long seed, SamplingProgress progress) {
        int[] labels = null;
        if (model.isConditional()) {
            labels = new int[Math.max(count, 0)];
            Arrays.fill(labels, NoisePredictor.NULL_LABEL);
        }
        return run(count, labels, seed, progress);
    }

    /** @return the timesteps visited, in sampling order (a copy) */
    public int[] timesteps() {
        return timesteps.clone();
    }

    /** @return the sampler settings */
    public SamplerConfig config() {
        return config;
    }

    private INDArray run(int count, int[] labels, long seed, SamplingProgress progress) {
        Objects.requireNonNull(progress, "progress");
        if (count < 1) {
            throw new IllegalArgumentException("number of images must be at least 1, got " + count);
        }
        long[] shape = new long[imageShape.length + 1];
        shape[0] = count;
        System.arraycopy(imageShape, 0, shape, 1, imageShape.length);
        INDArray out = Nd4j.create(dataType, shape);
        int chunks = (count + batchSize - 1) / batchSize;
        ClassifierFreeGuidance guidance = new ClassifierFreeGuidance(model, config.guidanceScale());
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        DpmSolverPlusPlusStep.History history = dpmStep == null ? null : new DpmSolverPlusPlusStep.History();
        INDArray x = null;
        try {
            for (int chunk = 0; chunk < chunks; chunk++) {
                int from = chunk * batchSize;
                int to = Math.min(count, from + batchSize);
                log.debug("sampling chunk {}/{}: images {}..{}, {} steps", chunk + 1, chunks, from, to - 1,
                        timesteps.length);
                // A standalone buffer, not a view of out: the predictor sees an ordinary array.
                if (x == null || x.size(0) != to - from) {
                    shape[0] = to - from;
                    x = Nd4j.create(dataType, shape);
                }
                int[] chunkLabels = labels == null ? null : Arrays.copyOfRange(labels, from, to);
                if (dpmStep == null) {
                    sampleChunk(x, chunkLabels, guidance, rng, chunk + 1, chunks, progress);
                } else {
                    sampleChunkDpm(x, chunkLabels, guidance, rng, history, chunk + 1, chunks, progress);
                }
                out.get(NDArrayIndex.interval(from, to)).assign(x);
            }
        } finally {
            closeQuietly(rng);
        }
        return out;
    }

    private void sampleChunk(INDArray x, int[] labels, ClassifierFreeGuidance guidance, Random rng,
                             int chunk, int chunks, SamplingProgress progress) {
        Nd4j.randn(x, rng);
        INDArray noise = null;
        for (int i = 0; i < timesteps.length; i++) {
            int t = timesteps[i];
            int tPrev = i + 1 < timesteps.length ? timesteps[i + 1] : -1;
            INDArray eps = guidance.predict(x, t, labels);
            if (step.sigma(t, tPrev) > 0) {
                if (noise == null) {
                    noise = Nd4j.createUninitialized(dataType, x.shape());
                }
                Nd4j.randn(noise, rng);
            }
            step.step(x, eps, t, tPrev, noise);
            progress.onStep(chunk, chunks, i + 1, timesteps.length);
        }
        // The last step returns x̂_0, already in [-1, 1] when clipping is on; images always are.
        Transforms.max(x, -1.0, false);
        Transforms.min(x, 1.0, false);
    }

    /** DPM-Solver++(2M): deterministic after x_T, one history per request, reset per chunk. */
    private void sampleChunkDpm(INDArray x, int[] labels, ClassifierFreeGuidance guidance, Random rng,
                                DpmSolverPlusPlusStep.History history, int chunk, int chunks,
                                SamplingProgress progress) {
        Nd4j.randn(x, rng);
        history.reset();
        for (int i = 0; i < timesteps.length; i++) {
            int t = timesteps[i];
            int tPrev = i + 1 < timesteps.length ? timesteps[i + 1] : -1;
            dpmStep.step(x, guidance.predict(x, t, labels), t, tPrev, history);
            progress.onStep(chunk, chunks, i + 1, timesteps.length);
        }
        Transforms.max(x, -1.0, false);
        Transforms.min(x, 1.0, false);
    }

    private static void closeQuietly(Random rng) {
        try {
            rng.close();
        } catch (Exception e) {
            log.warn("could not release the sampler's RNG", e);
        }
    }

    /** Builder for {@link Sampler}. */
    public static final class Builder {
        private final NoisePredictor model;
        private final NoiseSchedule schedule;
        private final SamplerConfig config;
        private final long[] imageShape;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private DataType dataType = DataType.FLOAT;

        private Builder(NoisePredictor model, NoiseSchedule schedule, SamplerConfig config, long[] imageShape) {
            this.model = Objects.requireNonNull(model, "model");
            this.schedule = Objects.requireNonNull(schedule, "schedule");
            this.config = Objects.requireNonNull(config, "config");
            this.imageShape = Objects.requireNonNull(imageShape, "imageShape").clone();
        }

        /**
         * @param batchSize most images per chunk, ≥ 1 (default 64); a guided conditional model
         *                  sees twice as many rows per call
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * @param dataType floating-point type of the images the model receives (default FLOAT)
         * @return this builder
         */
        public Builder optDataType(DataType dataType) {
            this.dataType = dataType;
            return this;
        }

        /**
         * Builds the sampler.
         *
         * @return the sampler
         * @throws IllegalArgumentException if a setting is out of range or inconsistent with the schedule
         */
        public Sampler build() {
            config.validate();
            if (imageShape.length != 3 || Arrays.stream(imageShape).anyMatch(d -> d < 1)) {
                throw new IllegalArgumentException("imageShape must be [C, H, W] with positive sizes, got "
                        + Arrays.toString(imageShape));
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
            }
            if (dataType == null || !dataType.isFPType()) {
                throw new IllegalArgumentException("dataType must be a floating-point type, got " + dataType);
            }
            if (config.steps() > schedule.numTimesteps()) {
                throw new IllegalArgumentException("steps must be in [1, T=" + schedule.numTimesteps()
                        + "] for this schedule, got " + config.steps());
            }
            return new Sampler(this);
        }
    }
}
