package org.erasediff.core.sampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
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
 *
 * <p>With {@link Builder#optWorkers(int) workers} above one, a deterministic sampler (η = 0)
 * samples that many chunks at once, each worker on its own {@link NoisePredictor#concurrentCopy()
 * copy} of the model with a share of ND4J's op threads. Every chunk's x_T is drawn first, in
 * chunk order, from the same generator, so the images are those of one worker.
 * {@link #generateAll} takes several requests at once and shares out all their chunks together.
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
    private final int workers;

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
        this.workers = b.workers;
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

    /**
     * The number of workers that uses this machine as ND4J is set up to: one per thread ND4J may
     * use (its thread count, so {@code OMP_NUM_THREADS=1} keeps a job on one core), at most one per
     * core. On 2 cores with the shipped MNIST UNet (DPM-Solver++ 15, chunks of 200) two workers of
     * one thread each made about the guided images per second of one worker with both threads in
     * {@code ./erasediff bench} (22.0 against 22.6), at twice the peak memory.
     *
     * @return at least 1
     */
    public static int machineWorkers() {
        return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), Nd4j.getEnvironment().maxThreads()));
    }

    /** @return the timesteps visited, in sampling order (a copy) */
    public int[] timesteps() {
        return timesteps.clone();
    }

    /** @return the sampler settings */
    public SamplerConfig config() {
        return config;
    }

    /**
     * Several requests at once (conditional models only): the images of request i are exactly
     * those of {@code generate(labelSets.get(i), seeds[i])}. With several workers, the chunks of
     * all requests are shared out together, largest first, so that requests with a last, smaller
     * chunk do not leave a worker idle.
     *
     * @param labelSets class labels per request (as for {@link #generate(int[], long)}); not modified
     * @param seeds     one RNG seed per request
     * @param progress  called after every step; chunks are numbered across all requests
     * @return one new array {@code [N_i, C, H, W]} in [−1, 1] per request, owned by the caller
     */
    public List<INDArray> generateAll(List<int[]> labelSets, long[] seeds, SamplingProgress progress) {
        Objects.requireNonNull(labelSets, "labelSets");
        Objects.requireNonNull(seeds, "seeds");
        if (labelSets.size() != seeds.length) {
            throw new IllegalArgumentException("one seed per request: " + labelSets.size() + " label sets, "
                    + seeds.length + " seeds");
        }
        if (!model.isConditional()) {
            throw new IllegalArgumentException(
                    "the model is unconditional: call generate(count, seed) instead of passing labels");
        }
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < seeds.length; i++) {
            int[] labels = Objects.requireNonNull(labelSets.get(i), "labels");
            requests.add(new Request(labels.length, labels, seeds[i]));
        }
        return run(requests, progress);
    }

    /** One request: {@code count} images, their labels (null: unconditional) and the seed. */
    private record Request(int count, int[] labels, long seed) {
    }

    /** One chunk of one request: rows {@code from}..{@code from + size} of {@code out}. */
    private record Chunk(Request request, INDArray out, int from, int size) {
    }

    private INDArray run(int count, int[] labels, long seed, SamplingProgress progress) {
        return run(List.of(new Request(count, labels, seed)), progress).get(0);
    }

    private List<INDArray> run(List<Request> requests, SamplingProgress progress) {
        Objects.requireNonNull(progress, "progress");
        List<INDArray> outs = new ArrayList<>();
        List<Chunk> chunks = new ArrayList<>();
        for (Request r : requests) {
            if (r.count() < 1) {
                throw new IllegalArgumentException("number of images must be at least 1, got " + r.count());
            }
            long[] shape = new long[imageShape.length + 1];
            shape[0] = r.count();
            System.arraycopy(imageShape, 0, shape, 1, imageShape.length);
            INDArray out = Nd4j.create(dataType, shape);
            outs.add(out);
            for (int from = 0; from < r.count(); from += batchSize) {
                chunks.add(new Chunk(r, out, from, Math.min(batchSize, r.count() - from)));
            }
        }
        List<NoisePredictor> models = workerModels(Math.min(workers, chunks.size()));
        if (models.size() > 1) {
            runConcurrently(models, chunks, progress);
        } else {
            runSequentially(requests, chunks, progress);
        }
        return outs;
    }

    private void runSequentially(List<Request> requests, List<Chunk> chunks, SamplingProgress progress) {
        ClassifierFreeGuidance guidance = new ClassifierFreeGuidance(model, config.guidanceScale());
        DpmSolverPlusPlusStep.History history = dpmStep == null ? null : new DpmSolverPlusPlusStep.History();
        int index = 0;
        for (Request r : requests) {
            Random rng = Nd4j.getRandomFactory().getNewRandomInstance(r.seed());
            try {
                INDArray x = null;
                for (; index < chunks.size() && chunks.get(index).request() == r; index++) {
                    Chunk c = chunks.get(index);
                    // A standalone buffer, not a view of out: the predictor sees an ordinary array.
                    if (x == null || x.size(0) != c.size()) {
                        x = Nd4j.create(dataType, chunkShape(c));
                    }
                    Nd4j.randn(x, rng);
                    sampleChunk(c, x, guidance, rng, history, index, chunks.size(), progress);
                }
            } finally {
                closeQuietly(rng);
            }
        }
    }

    /**
     * Draws every chunk's x_T in chunk order, per request from its own generator (the draws of a
     * sequential run: a deterministic sampler uses the generator for nothing else), then lets the
     * workers take chunks, largest first.
     */
    private void runConcurrently(List<NoisePredictor> models, List<Chunk> chunks, SamplingProgress progress) {
        INDArray[] starts = new INDArray[chunks.size()];
        Request drawing = null;
        Random rng = null;
        try {
            for (int i = 0; i < chunks.size(); i++) {
                Chunk c = chunks.get(i);
                if (c.request() != drawing) {
                    if (rng != null) {
                        closeQuietly(rng);
                    }
                    drawing = c.request();
                    rng = Nd4j.getRandomFactory().getNewRandomInstance(drawing.seed());
                }
                starts[i] = Nd4j.randn(Nd4j.create(dataType, chunkShape(c)), rng);
            }
        } finally {
            if (rng != null) {
                closeQuietly(rng);
            }
        }
        Integer[] order = new Integer[chunks.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(chunks.get(b).size(), chunks.get(a).size())); // stable
        SamplingProgress oneAtATime = (chunk, n, step, steps) -> {
            synchronized (starts) {
                progress.onStep(chunk, n, step, steps);
            }
        };
        AtomicInteger next = new AtomicInteger();
        int total = chunks.size();
        ExecutorService pool = Executors.newFixedThreadPool(models.size(), r -> {
            Thread t = new Thread(r, "sampler-worker");
            t.setDaemon(true);
            return t;
        });
        try (OpThreads.Share share = OpThreads.share(models.size())) {
            List<Future<?>> running = new ArrayList<>();
            for (NoisePredictor m : models) {
                running.add(pool.submit(() -> {
                    ClassifierFreeGuidance guidance = new ClassifierFreeGuidance(m, config.guidanceScale());
                    DpmSolverPlusPlusStep.History history =
                            dpmStep == null ? null : new DpmSolverPlusPlusStep.History();
                    for (int k = next.getAndIncrement(); k < total; k = next.getAndIncrement()) {
                        int i = order[k];
                        sampleChunk(chunks.get(i), starts[i], guidance, null, history, i, total, oneAtATime);
                        starts[i] = null;
                    }
                }));
            }
            for (Future<?> f : running) {
                awaitWorker(f, next, total);
            }
        } finally {
            pool.shutdownNow();
            models.subList(1, models.size()).forEach(Sampler::closeCopy);
        }
    }

    private static void closeCopy(NoisePredictor copy) {
        if (copy instanceof AutoCloseable closable) {
            try {
                closable.close();
            } catch (Exception e) {
                log.warn("could not release a sampling worker's model copy", e);
            }
        }
    }

    private static void awaitWorker(Future<?> worker, AtomicInteger next, int chunks) {
        try {
            worker.get();
        } catch (InterruptedException e) {
            next.set(chunks);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sampling", e);
        } catch (ExecutionException e) {
            next.set(chunks); // the other workers stop after their current chunk
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("a sampling worker failed", cause);
        }
    }

    /** This model, plus as many concurrent copies as it gives, up to {@code wanted} in all. */
    private List<NoisePredictor> workerModels(int wanted) {
        List<NoisePredictor> models = new ArrayList<>();
        models.add(model);
        while (models.size() < wanted) {
            Optional<NoisePredictor> copy = model.concurrentCopy();
            if (copy.isEmpty()) {
                log.debug("the model gives no concurrent copy: sampling one chunk at a time");
                break;
            }
            models.add(copy.get());
        }
        return models;
    }

    private long[] chunkShape(Chunk c) {
        long[] shape = c.out().shape().clone();
        shape[0] = c.size();
        return shape;
    }

    /**
     * Samples one chunk from its x_T in {@code x} (overwritten) and copies it into its request's
     * output; {@code index} is its 0-based number among all chunks.
     */
    private void sampleChunk(Chunk c, INDArray x, ClassifierFreeGuidance guidance, Random rng,
                             DpmSolverPlusPlusStep.History history, int index, int chunks,
                             SamplingProgress progress) {
        int from = c.from();
        int to = from + c.size();
        log.debug("sampling chunk {}/{}: images {}..{}, {} steps", index + 1, chunks, from, to - 1,
                timesteps.length);
        int[] labels = c.request().labels();
        int[] chunkLabels = labels == null ? null : Arrays.copyOfRange(labels, from, to);
        if (dpmStep == null) {
            denoiseDdim(x, chunkLabels, guidance, rng, index + 1, chunks, progress);
        } else {
            denoiseDpm(x, chunkLabels, guidance, history, index + 1, chunks, progress);
        }
        INDArray target = c.out().get(NDArrayIndex.interval(from, to));
        synchronized (c.out()) {
            target.assign(x);
        }
    }

    /** DDIM from x_T in {@code x}; {@code rng} gives each step's noise (null when η = 0). */
    private void denoiseDdim(INDArray x, int[] labels, ClassifierFreeGuidance guidance, Random rng,
                             int chunk, int chunks, SamplingProgress progress) {
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

    /** DPM-Solver++(2M) from x_T in {@code x}: deterministic, one history per worker, reset per chunk. */
    private void denoiseDpm(INDArray x, int[] labels, ClassifierFreeGuidance guidance,
                            DpmSolverPlusPlusStep.History history, int chunk, int chunks,
                            SamplingProgress progress) {
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
        private int workers = 1;

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
         * @param workers chunks sampled at once, ≥ 1 (default 1), each on its own thread with a
         *                {@linkplain NoisePredictor#concurrentCopy() copy} of the model and an equal
         *                share of ND4J's op threads; above 1 only for a deterministic config
         *                (η = 0), and a model without copies samples one chunk at a time anyway.
         *                The images do not depend on it.
         * @return this builder
         */
        public Builder optWorkers(int workers) {
            this.workers = workers;
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
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1, got " + workers);
            }
            if (workers > 1 && config.eta() != 0) {
                throw new IllegalArgumentException("workers > 1 needs a deterministic sampler (eta 0), got eta "
                        + config.eta() + ": each step's noise is drawn chunk after chunk");
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
