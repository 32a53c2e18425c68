package org.erasediff.eval.generate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.erasediff.core.progress.ProgressMeter;
import org.erasediff.core.sampling.NoisePredictor;
import org.erasediff.core.sampling.Sampler;
import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.dl4j.checkpoint.NamedArrays;
import org.erasediff.dl4j.memory.MemoryGuard;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates images for given labels with a fixed sampler, seed and chunk size, so every model is
 * sampled from the same starting noise and the pictures compare image by image. With a cache
 * folder, results are stored under a key made of the model's identity, the sampler settings, the
 * labels and the seed, and reused when the same request comes again.
 */
public final class SampleGenerator {

    /**
     * The chunk size the commands generate with: 200 images (400 rows with guidance) made 24–26
     * guided images/s on the shipped model against 22–23 with 100 and about the same with 400
     * ({@code ./erasediff bench}, {@code generate_by_batch_images_per_s}).
     */
    public static final int DEFAULT_BATCH_SIZE = 200;

    private static final Logger LOG = LoggerFactory.getLogger(SampleGenerator.class);

    private final NoiseSchedule schedule;
    private final SamplerConfig config;
    private final int batchSize;
    private final Path cacheDir;
    private final int workers;

    /**
     * A generator that samples one chunk at a time. (Several workers, {@link #defaultWorkers},
     * doubled the peak memory of generation, 3.5–3.9 → 7.9 GB in {@code ./erasediff bench}, for
     * no measurable speed there: 22.0 against 22.6 images/s; so they are opt-in.)
     *
     * @param schedule  the noise schedule the models were trained with
     * @param config    sampler settings (steps, η, guidance)
     * @param batchSize images per chunk (part of the cache key: it changes the starting noise layout)
     * @param cacheDir  cache folder, or {@code null} for no caching
     */
    public SampleGenerator(NoiseSchedule schedule, SamplerConfig config, int batchSize, Path cacheDir) {
        this(schedule, config, batchSize, cacheDir, 1);
    }

    /**
     * @param schedule  the noise schedule the models were trained with
     * @param config    sampler settings (steps, η, guidance)
     * @param batchSize images per chunk (part of the cache key: it changes the starting noise layout)
     * @param cacheDir  cache folder, or {@code null} for no caching
     * @param workers   chunks sampled at once ({@link Sampler.Builder#optWorkers(int)}; 1 unless the
     *                  config is deterministic); the images do not depend on it
     */
    public SampleGenerator(NoiseSchedule schedule, SamplerConfig config, int batchSize, Path cacheDir,
                           int workers) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be > 0, was " + batchSize);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, was " + workers);
        }
        this.schedule = schedule;
        this.config = config;
        this.batchSize = batchSize;
        this.cacheDir = cacheDir;
        this.workers = workers;
    }

    /**
     * The workers this machine can run: for a deterministic sampler (η = 0), one worker per thread ND4J may use (its thread count, so
     * {@code OMP_NUM_THREADS=1} keeps a job on one core), at most one per core; each worker runs on
     * a copy of the model with one thread. One worker otherwise.
     *
     * @param config the sampler settings
     * @return the number of workers
     */
    public static int defaultWorkers(SamplerConfig config) {
        if (config.eta() != 0) {
            return 1;
        }
        return Sampler.machineWorkers();
    }

    /** Chunks sampled at once. */
    public int workers() {
        return workers;
    }

    /** The sampler settings. */
    public SamplerConfig config() {
        return config;
    }

    /**
     * Generates one image per label.
     *
     * @param model      the model
     * @param modelId    identity of the model's weights (e.g. the SHA-256 of its file), for the cache key
     * @param imageShape {@code [C, H, W]}
     * @param labels     one label per image
     * @param seed       seed of the starting noise and the sampler's noise
     * @return {@code [N, C, H, W]} in [−1, 1], owned by the caller
     */
    public INDArray generate(NoisePredictor model, String modelId, long[] imageShape, int[] labels, long seed)
            throws IOException {
        return generateAll(model, modelId, imageShape, List.of(labels), new long[] {seed}).get(0);
    }

    /**
     * Generates several requests at once: request i gives exactly the images of
     * {@code generate(model, modelId, imageShape, labelSets.get(i), seeds[i])}, and is cached on its
     * own. The requests not in the cache are sampled together, so that the workers share out all
     * their chunks.
     *
     * @param model      the model
     * @param modelId    identity of the model's weights, for the cache key
     * @param imageShape {@code [C, H, W]}
     * @param labelSets  one label per image, per request
     * @param seeds      one seed per request
     * @return one {@code [N_i, C, H, W]} array in [−1, 1] per request, owned by the caller
     */
    public List<INDArray> generateAll(NoisePredictor model, String modelId, long[] imageShape, List<int[]> labelSets,
                                      long[] seeds) throws IOException {
        if (labelSets.size() != seeds.length) {
            throw new IllegalArgumentException("one seed per request: " + labelSets.size() + " label sets, "
                    + seeds.length + " seeds");
        }
        INDArray[] images = new INDArray[seeds.length];
        Path[] cached = new Path[seeds.length];
        List<Integer> missing = new ArrayList<>();
        int count = 0;
        for (int i = 0; i < seeds.length; i++) {
            cached[i] = cacheDir == null ? null : cacheDir.resolve(key(modelId, labelSets.get(i), seeds[i]) + ".bin");
            if (cached[i] != null && Files.isRegularFile(cached[i])) {
                LOG.info("reusing {} cached samples from {}", labelSets.get(i).length, cached[i]);
                images[i] = NamedArrays.read(cached[i]).get("samples");
            } else {
                missing.add(i);
                count += labelSets.get(i).length;
            }
        }
        if (!missing.isEmpty()) {
            Sampler sampler = Sampler.builder(model, schedule, config, imageShape).optBatchSize(batchSize)
                    .optWorkers(workers).build();
            long chunks = missing.stream().mapToLong(i -> (labelSets.get(i).length + batchSize - 1) / batchSize).sum();
            ProgressMeter meter = new ProgressMeter(LOG, "sampling " + count + " images", chunks * config.steps(), 0,
                    20);
            MemoryGuard memory = MemoryGuard.fromSystemProperty();
            long[] stepsDone = {0};
            List<INDArray> made = sampler.generateAll(missing.stream().map(labelSets::get).toList(),
                    missing.stream().mapToLong(i -> seeds[i]).toArray(), (chunk, n, step, steps) -> {
                        memory.check();
                        meter.update(++stepsDone[0], null); // one call at a time, chunks possibly interleaved
                    });
            for (int k = 0; k < missing.size(); k++) {
                int i = missing.get(k);
                images[i] = made.get(k);
                if (cached[i] != null) {
                    NamedArrays.write(cached[i], Map.of("samples", images[i]));
                }
            }
        }
        return List.of(images);
    }

    private String key(String modelId, int[] labels, long seed) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((modelId + "|" + config.toJson() + "|" + batchSize + "|" + seed + "|" + schedule.config())
                    .getBytes(StandardCharsets.UTF_8));
            for (int l : labels) {
                md.update((byte) (l >>> 24));
                md.update((byte) (l >>> 16));
                md.update((byte) (l >>> 8));
                md.update((byte) l);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** Labels {@code perClass} times each class in {@code classes}, class-major (row k of a grid is class k). */
    public static int[] labelsPerClass(int[] classes, int perClass) {
        int[] labels = new int[classes.length * perClass];
        for (int i = 0; i < classes.length; i++) {
            java.util.Arrays.fill(labels, i * perClass, (i + 1) * perClass, classes[i]);
        }
        return labels;
    }
}
