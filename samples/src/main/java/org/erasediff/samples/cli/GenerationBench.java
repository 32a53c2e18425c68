package org.erasediff.samples.cli;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.erasediff.core.sampling.Sampler;
import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.memory.MemoryGuard;
import org.erasediff.eval.generate.SampleGenerator;
import org.erasediff.samples.ShippedAssets;

/**
 * The generation phase of {@code bench}: guided images per second on the shipped MNIST model for
 * each sampler, and for the evaluation default at several batch sizes (each after a warm-up
 * batch, labels cycling through the digits as an evaluation's do), one worker each; then the
 * evaluation default with one worker against the workers this machine can run
 * ({@link SampleGenerator#defaultWorkers}), one chunk per worker (chunks of the generator's 200
 * images, or of {@code --gen-images} if fewer), timed in the order 1, N, N, 1; and the evaluation
 * default through the hand-written inference forward against the SameDiff graph (the shipped model's
 * card gives it the forward; the graph alone does not have it), in the order inference, graph, graph,
 * inference.
 */
final class GenerationBench {

    private GenerationBench() {
    }

    /**
     * @param samplers  samplers as {@code solver:steps}
     * @param images    images generated per measurement
     * @param batches   batch sizes compared with the evaluation default
     * @param memory    the run's memory guard
     * @return {@code generate_images_per_s} (the evaluation default as the evaluation runs it: the
     *         generator's batch size, one worker), {@code generate_sampler},
     *         {@code generate_workers}, {@code generate_by_workers_images_per_s} (1 and N workers, each
     *         the mean of two timings), {@code generate_by_forward_images_per_s} ({@code inference}
     *         and {@code graph}, each the mean of two timings), {@code generate_by_sampler} and
     *         {@code generate_by_batch} (one worker)
     */
    static Map<String, Object> run(List<String> samplers, int images, List<Integer> batches, MemoryGuard memory)
            throws IOException {
        if (images < 1 || batches.stream().anyMatch(b -> b < 1)) {
            throw new IllegalArgumentException("need --gen-images >= 1 and every --gen-batches value >= 1");
        }
        ShippedAssets.LoadedModel model = ShippedAssets.diffusionModel(null);
        NoiseSchedule schedule = NoiseSchedule.create(model.card().schedule());
        int[] labels = new int[images];
        for (int i = 0; i < images; i++) {
            labels[i] = i % 10;
        }
        Map<String, Object> bySampler = new LinkedHashMap<>();
        for (String spec : samplers) {
            bySampler.put(spec, imagesPerSecond(model.graph(), schedule, SamplerStudyCommand.parse(spec),
                    SampleGenerator.DEFAULT_BATCH_SIZE, 1, labels, memory));
        }
        SamplerConfig evalDefault = EvalDefaults.sampler(EvalDefaults.defaultSolver(), EvalDefaults.STEPS,
                SamplerConfig.DEFAULT_GUIDANCE_SCALE);
        Map<String, Object> byBatch = new LinkedHashMap<>();
        for (int b : batches) {
            byBatch.put(String.valueOf(b), imagesPerSecond(model.graph(), schedule, evalDefault, b, 1, labels, memory));
        }
        int workers = SampleGenerator.defaultWorkers(evalDefault);
        int chunk = Math.min(SampleGenerator.DEFAULT_BATCH_SIZE, images);
        int[] oneChunkEach = new int[chunk * workers];
        for (int i = 0; i < oneChunkEach.length; i++) {
            oneChunkEach[i] = i % 10;
        }
        double[] byWorkers = new double[2];
        for (int w : new int[] {1, workers, workers, 1}) {
            byWorkers[w == 1 ? 0 : 1] += imagesPerSecond(model.graph(), schedule, evalDefault, chunk, w, oneChunkEach,
                    memory) / 2;
        }
        // the evaluation default through the hand-written inference forward (what the commands use) and
        // through the SameDiff graph, in the order inference, graph, graph, inference
        DiffusionGraph graphOnly = new DiffusionGraph(model.graph().sameDiff(), model.graph().spec());
        double[] byForward = new double[2];
        for (boolean inference : new boolean[] {true, false, false, true}) {
            byForward[inference ? 0 : 1] += imagesPerSecond(inference ? model.graph() : graphOnly, schedule,
                    evalDefault, SampleGenerator.DEFAULT_BATCH_SIZE, 1, labels, memory) / 2;
        }
        graphOnly.releasePredictionMemory();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("generate_sampler", EvalDefaults.SOLVER + ":" + EvalDefaults.STEPS);
        out.put("generate_workers", workers);
        out.put("generate_images_per_s", byWorkers[0]); // the evaluation samples with one worker
        Map<String, Object> workerFigures = new LinkedHashMap<>();
        workerFigures.put("1", byWorkers[0]);
        workerFigures.put(String.valueOf(workers), byWorkers[1]);
        out.put("generate_by_workers_images_per_s", workerFigures);
        out.put("generate_by_forward_images_per_s", Map.of("inference", byForward[0], "graph", byForward[1]));
        out.put("generate_by_sampler_images_per_s", bySampler);
        out.put("generate_by_batch_images_per_s", byBatch);
        model.graph().releasePredictionMemory();
        return out;
    }

    private static double imagesPerSecond(DiffusionGraph model, NoiseSchedule schedule,
                                          SamplerConfig config, int batch, int workers, int[] labels,
                                          MemoryGuard memory) {
        Sampler sampler = Sampler.builder(model, schedule, config, model.imageShape())
                .optBatchSize(batch).optWorkers(workers).build();
        int[] warm = java.util.Arrays.copyOf(labels, Math.min(batch * workers, labels.length));
        sampler.generate(warm, 1, (chunk, n, step, steps) -> memory.check());
        long t0 = System.nanoTime();
        sampler.generate(labels, 2, (chunk, n, step, steps) -> memory.check());
        return labels.length / ((System.nanoTime() - t0) / 1e9);
    }
}
