package org.erasediff.samples.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.optim.GradientClipping;
import org.erasediff.core.optim.UpdaterSettings;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.core.unlearn.LambdaRule;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.graph.GradientFunctions;
import org.erasediff.dl4j.engine.GradientEngine;
import org.erasediff.dl4j.memory.MemoryGuard;
import org.erasediff.dl4j.listen.OpTimingListener;
import org.erasediff.dl4j.engine.ParameterUpdater;
import org.erasediff.dl4j.memory.StepArrayPool;
import org.erasediff.dl4j.engine.WeightedDenoisingLoss;
import org.erasediff.dl4j.unet.UNetBuilder;
import org.erasediff.dl4j.unet.UNetConfig;
import org.erasediff.dl4j.unet.UNetCost;
import org.erasediff.dl4j.unet.UNetInference;
import org.erasediff.dl4j.unlearn.EraseDiffUnlearner;
import org.erasediff.dl4j.listen.StepMetrics;
import org.erasediff.eval.metrics.PeakMemory;
import org.erasediff.samples.ModelCard;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code erasediff bench}: step times of the reference UNet side by side in one run — forward,
 * the project's training step, SameDiff's own {@code fit} step, EraseDiff steps — with FLOPs,
 * achieved GFLOP/s against a GEMM ceiling measured in the same run, and peak memory.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures forward, training and EraseDiff step times of the reference UNet (median and spread "
                + "over repetitions after warm-up), FLOPs, achieved GFLOP/s vs a GEMM ceiling, and peak RSS.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--widths", split = ",", defaultValue = "32,64,128", description = "UNet widths (default ${DEFAULT-VALUE}).")
    List<Integer> widths;

    @Option(names = "--attention", defaultValue = "true", negatable = true, description = "Attention block (default ${DEFAULT-VALUE}).")
    boolean attention;

    @Option(names = "--reps", defaultValue = "10", description = "Timed repetitions (default ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--warmup", defaultValue = "10", description = "Warm-up repetitions before each timed phase (default ${DEFAULT-VALUE}: with 2, the first phase still ran ~20 %% slow while the JIT compiled SameDiff's session code).")
    int warmup;

    @Option(names = "--inner-steps", defaultValue = "2", description = "K for the faithful EraseDiff step with q monitored (default ${DEFAULT-VALUE}).")
    int innerSteps;

    @Option(names = "--skip-fit", description = "Skip the sd.fit comparison.")
    boolean skipFit;

    @Option(names = "--profile", description = "Also profile a training step per op type (op_profile_ms).")
    boolean profile;

    @Option(names = "--samplers", split = ",", defaultValue = "ddim:50,dpm-solver++:18",
            description = "Samplers timed for generation, as solver:steps (default ${DEFAULT-VALUE}; the first is the "
                    + "old evaluation default, generate_images_per_s is the evaluation default's).")
    List<String> samplers;

    @Option(names = "--gen-images", defaultValue = "200", description = "Guided images generated per sampler and batch size "
            + "(default ${DEFAULT-VALUE}).")
    int genImages;

    @Option(names = "--gen-batches", split = ",", defaultValue = "100,200,400",
            description = "Generation batch sizes compared with the evaluation default sampler (default ${DEFAULT-VALUE}).")
    List<Integer> genBatches;

    @Option(names = "--skip-generation", description = "Skip the generation phase.")
    boolean skipGeneration;

    @Option(names = "--json", description = "Print the figures as one JSON object on the last line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (batch < 2 || reps < 1 || warmup < 0) {
            throw new IllegalArgumentException("need --batch >= 2, --reps >= 1, --warmup >= 0");
        }
        UNetConfig unet = UNetConfig.builder().optWidths(widths).optAttention(attention).build();
        UNetCost cost = UNetCost.of(unet, batch);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("batch", batch);
        out.put("params", cost.parameterCount());
        out.put("forward_gflop", cost.forwardFlops() / 1e9);
        out.put("train_step_gflop", 3 * cost.forwardFlops() / 1e9);
        double gemm = gemmGflops();
        out.put("gemm_gflops", gemm);
        MemoryGuard memory = MemoryGuard.fromSystemProperty();

        // inputs
        DiffusionGraph model = UNetBuilder.buildDiffusionGraph(unet);
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.randn(DataType.FLOAT, batch, 1, 28, 28);
        INDArray eps = Nd4j.randn(DataType.FLOAT, batch, 1, 28, 28);
        int[] t = new int[batch];
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            t[i] = (i * 37) % 1000;
            labels[i] = i % 10;
        }

        // the project's training step (gradient engine + global clipping + Adam), with the step's arrays
        // recycled (the default) and, side by side, with fresh arrays every step; first, so that its peak
        // resident memory is its own (freed native memory of earlier phases stays resident)
        startPhase();
        out.put("train_step_rss_start_mb", org.bytedeco.javacpp.Pointer.physicalBytes() / (1024.0 * 1024.0));
        double[] train = trainSteps(model, StepArrayPool.Reuse.WITHIN_STEP, x, t, labels, eps, memory, out);
        out.put("train_step_peak_rss_mb", peakMb());
        out.putAll(memoryBreakdown("train_step_"));
        out.put("train_step_s", median(train));
        out.put("train_step_min_s", Arrays.stream(train).min().orElseThrow());
        out.put("train_step_max_s", Arrays.stream(train).max().orElseThrow());
        out.put("gflops", 3 * cost.forwardFlops() / 1e9 / median(train));
        out.put("fraction_of_gemm", 3 * cost.forwardFlops() / 1e9 / median(train) / gemm);

        if (profile) {
            out.putAll(profileStep(model, x, t, labels, eps, memory));
        }

        // EraseDiff: default (fixed λ, one stacked pass over B/2 remain + B/2 forget) and faithful with q
        startPhase();
        LabelledImages data = syntheticDigits(4 * batch);
        ForgetRemainSplit split = ForgetRemainSplit.byClasses(data, List.of(0));
        int half = batch / 2;
        EraseDiffConfig fixed = EraseDiffConfig.builder().optOuterSteps(warmup + reps).optRemainBatchSize(half)
                .optForgetBatchSize(batch - half).optEmaDecay(0.99).build();
        List<StepMetrics> h = EraseDiffUnlearner.builder(fixed).build().unlearn(model, split).history();
        double[] ed = h.subList(warmup, h.size()).stream().mapToDouble(StepMetrics::seconds).toArray();
        out.put("erasediff_step_s", median(ed));
        // the default step is one forward/backward over the stacked B/2 + B/2 batch: compare with a training step
        out.put("erasediff_overhead", median(ed) / median(train) - 1);
        EraseDiffConfig faithful = fixed.toBuilder().optMonitorQ(true).optInnerSteps(innerSteps)
                .optLambdaRule(new LambdaRule.BomeRatio(0.1)).build();
        List<StepMetrics> hf = EraseDiffUnlearner.builder(faithful).build().unlearn(model, split).history();
        double[] edq = hf.subList(warmup, hf.size()).stream().mapToDouble(StepMetrics::seconds).toArray();
        out.put("erasediff_faithful_q_step_s", median(edq));
        // a faithful step with q makes, each at half the batch: remain and forget gradients, K−1 more forget
        // gradients and one forget forward; its overhead is measured against those passes, timed at B/2 (a
        // half-batch pass costs more than half a full one: SameDiff's per-op bookkeeping does not shrink)
        int hb = batch / 2;
        INDArray xh = x.get(NDArrayIndex.interval(0, hb)).dup();
        INDArray epsh = eps.get(NDArrayIndex.interval(0, hb)).dup();
        int[] th = Arrays.copyOf(t, hb);
        int[] lh = Arrays.copyOf(labels, hb);
        double[] gradHalf = gradientPasses(model, xh, th, lh, epsh, memory);
        double[] fwdHalf = time(warmup, reps, () -> model.predictNoise(xh, th, lh), memory);
        model.releasePredictionMemory();
        out.put("gradient_pass_half_batch_s", median(gradHalf));
        out.put("forward_half_batch_s", median(fwdHalf));
        double passes = 2 + (innerSteps - 1);
        double expected = passes * median(gradHalf) + median(fwdHalf);
        out.put("erasediff_faithful_q_overhead", median(edq) / expected - 1);
        out.put("erasediff_peak_rss_mb", peakMb());
        out.put("peak_rss_mb", Math.max((double) out.get("train_step_peak_rss_mb"), peakMb()));

        // forward: the project's prediction (arrays recycled) and SameDiff's own output call (fresh arrays),
        // timed alternately so that drift (JIT, machine load) hits both alike; after the training and EraseDiff
        // phases, whose peaks would otherwise include what the fresh-array calls leave resident (up to 3 GB)
        startPhase();
        DiffusionGraph plain = new DiffusionGraph(model.sameDiff().dup(), model.spec());
        Map<String, INDArray> plainFeed = new LinkedHashMap<>();
        plain.feed(plainFeed, x, t, labels);
        Runnable pooledForward = () -> model.predictNoise(x, t, labels);
        Runnable freshForward = () -> plain.sameDiff().output(plainFeed, plain.spec().output());
        double[][] fwdPair = timeAlternately(pooledForward, freshForward, memory);
        double[] fwd = fwdPair[0];
        out.put("forward_s", median(fwd));
        out.put("forward_fresh_arrays_s", median(fwdPair[1]));
        // neither variant's arrays may count against the phases below
        model.releasePredictionMemory();
        plain.sameDiff().getSessions().clear();
        out.put("forward_peak_rss_mb", peakMb());


        // the hand-written inference forward that generation uses (UNetInference) against the graph's, after
        // the training and EraseDiff phases so that its working memory does not count against them
        startPhase();
        DiffusionGraph inference = UNetInference.attach(model, unet);
        double[][] inferencePair = timeAlternately(() -> inference.predictNoise(x, t, labels), pooledForward,
                memory);
        out.put("forward_inference_s", median(inferencePair[0]));
        out.put("forward_graph_over_inference", median(inferencePair[1]) / median(inferencePair[0]));
        model.releasePredictionMemory();
        inference.releasePredictionMemory();

        // baselines, after the project's own steps so their memory does not count against them
        startPhase();
        double[] fresh = trainSteps(model, StepArrayPool.Reuse.NONE, x, t, labels, eps, memory, null);
        out.put("train_step_fresh_arrays_s", median(fresh));
        out.put("train_step_fresh_arrays_peak_rss_mb", peakMb());
        out.put("train_step_over_fresh_arrays", median(train) / median(fresh));
        if (!skipFit) {
            startPhase();
            double[] fit = fitSteps(model, x, t, labels, eps, memory, false);
            out.put("sd_fit_step_s", median(fit));
            out.put("sd_fit_peak_rss_mb", peakMb());
            out.put("train_step_over_sd_fit", median(train) / median(fit));
            startPhase();
            double[] cached = fitSteps(model, x, t, labels, eps, memory, true);
            out.put("sd_fit_cache_on_step_s", median(cached));
            out.put("sd_fit_cache_on_peak_rss_mb", peakMb());
        }
        if (!skipGeneration) {
            startPhase();
            out.putAll(GenerationBench.run(samplers, genImages, genBatches, memory));
            out.put("generation_peak_rss_mb", peakMb());
        }
        out.put("memory_collections", memory.collections());
        JsonOutput.print(out, json);
        return 0;
    }

    /** A gradient engine on a private copy of {@code model} with the denoising loss added. */
    private static GradientEngine newEngine(DiffusionGraph model, StepArrayPool.Reuse reuse) {
        DiffusionGraph working = new DiffusionGraph(model.sameDiff().dup(), model.spec());
        WeightedDenoisingLoss.addTo(working);
        return new GradientEngine(working, DiffusionGraph.parameterNames(model.sameDiff()), reuse);
    }

    /** Per-sample loss weights 1/B for a batch like {@code x}. */
    private static INDArray uniformWeights(INDArray x) {
        return Nd4j.valueArrayOf(new long[] {x.size(0)}, 1f / x.size(0), DataType.FLOAT);
    }

    private double[] trainSteps(DiffusionGraph model, StepArrayPool.Reuse reuse, INDArray x, int[] t, int[] labels,
                                INDArray eps, MemoryGuard memory, Map<String, Object> poolStats) {
        try (GradientEngine engine = newEngine(model, reuse)) {
            return trainSteps(engine, x, t, labels, eps, memory, poolStats);
        }
    }

    private double[] trainSteps(GradientEngine engine, INDArray x, int[] t, int[] labels, INDArray eps,
                                MemoryGuard memory, Map<String, Object> poolStats) {
        ParameterUpdater adam = new ParameterUpdater(UpdaterSettings.adam(1e-4), null, engine.parameters());
        INDArray w = uniformWeights(x);
        Runnable step = () -> {
            engine.computeGradients(x, t, labels, eps, w);
            GradientClipping.clipByGlobalNorm(engine.gradients(), 1.0);
            adam.apply(engine.gradients(), engine.parameters());
        };
        long gc0 = gcMillis();
        double[] s = time(warmup, reps, step, memory);
        long gcMs = gcMillis() - gc0;
        if (poolStats != null) {
            poolStats.put("pool_mb", engine.arrayPool().pooledBytes() / (1024.0 * 1024.0));
            poolStats.put("pool_reused_fraction", engine.arrayPool().reuses()
                    / (double) (engine.arrayPool().reuses() + engine.arrayPool().allocations()));
            poolStats.put("train_step_gc_ms", gcMs / (double) (warmup + reps));
            long fresh = engine.arrayPool().allocations();
            step.run();
            poolStats.put("train_step_fresh_arrays", engine.arrayPool().allocations() - fresh);
        }
        return s;
    }

    /** Gradient passes alone (no clipping, no update) of the project's engine. */
    private double[] gradientPasses(DiffusionGraph model, INDArray x, int[] t, int[] labels, INDArray eps,
                                    MemoryGuard memory) {
        try (GradientEngine engine = newEngine(model, StepArrayPool.Reuse.WITHIN_STEP)) {
            INDArray w = uniformWeights(x);
            return time(warmup, reps, () -> engine.computeGradients(x, t, labels, eps, w), memory);
        }
    }

    /** Op-level profile of the project's training step: ms per step for the 15 costliest op types. */
    private Map<String, Object> profileStep(DiffusionGraph model, INDArray x, int[] t, int[] labels, INDArray eps,
                                            MemoryGuard memory) {
        OpTimingListener timing = new OpTimingListener();
        Map<String, Object> out = new LinkedHashMap<>();
        try (GradientEngine engine = newEngine(model, StepArrayPool.Reuse.WITHIN_STEP)) {
            engine.addListener(timing);
            INDArray w = uniformWeights(x);
            engine.computeGradients(x, t, labels, eps, w); // warm-up
            timing.reset();
            int steps = Math.max(3, Math.min(reps, 5));
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                engine.computeGradients(x, t, labels, eps, w);
                memory.check();
            }
            double stepMs = (System.nanoTime() - t0) / 1e6 / steps;
            Map<String, Object> ops = new LinkedHashMap<>();
            timing.byTotalTime().stream().limit(15).forEach(o -> ops.put(o.op(), o.nanos() / 1e6 / steps));
            out.put("op_profile_ms", ops);
            out.put("op_profile_in_ops_ms", timing.totalNanos() / 1e6 / steps);
            out.put("op_profile_gradient_pass_ms", stepMs);
        }
        return out;
    }

    /** {@code sd.fit} on the same graph and batch; {@code cacheOn}: SameDiff's array cache as by default. */
    private double[] fitSteps(DiffusionGraph model, INDArray x, int[] t, int[] labels, INDArray eps,
                              MemoryGuard memory, boolean cacheOn) {
        SameDiff sd = model.sameDiff().dup();
        DiffusionGraph g = new DiffusionGraph(sd, model.spec());
        WeightedDenoisingLoss.addTo(g);
        Map<String, INDArray> feed = new LinkedHashMap<>();
        g.feed(feed, x, t, labels);
        List<String> names = new ArrayList<>(feed.keySet());
        names.add(WeightedDenoisingLoss.TARGET);
        names.add(WeightedDenoisingLoss.WEIGHT);
        sd.setTrainingConfig(new TrainingConfig.Builder().updater(new Adam(1e-4)).dataSetFeatureMapping(names)
                .markLabelsUnused().build());
        INDArray[] features = new INDArray[names.size()];
        for (int i = 0; i < feed.size(); i++) {
            features[i] = feed.get(names.get(i)).dup();
        }
        features[names.size() - 2] = eps;
        features[names.size() - 1] = uniformWeights(x);
        MultiDataSet ds = new MultiDataSet(features, null);
        GradientFunctions.create(sd);
        sd.getFunction("grad").setEnableCache(cacheOn);
        sd.setEnableCache(cacheOn);
        return time(warmup, reps, () -> sd.fit(ds), memory);
    }

    /**
     * Where resident memory is at the end of a phase: the JVM heap committed, and the native bytes
     * JavaCPP tracks (ND4J's arrays: parameters, pools, outputs not yet collected).
     */
    private static Map<String, Object> memoryBreakdown(String prefix) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(prefix + "heap_committed_mb", Runtime.getRuntime().totalMemory() / (1024.0 * 1024.0));
        m.put(prefix + "native_arrays_mb", org.bytedeco.javacpp.Pointer.totalBytes() / (1024.0 * 1024.0));
        m.put(prefix + "rss_end_mb", org.bytedeco.javacpp.Pointer.physicalBytes() / (1024.0 * 1024.0));
        return m;
    }

    /** Collects the last phase's garbage and restarts the peak-memory count. */
    private static void startPhase() {
        System.gc();
        PeakMemory.resetPeakRss();
    }

    private static double peakMb() {
        return PeakMemory.peakRssBytes().orElse(-1) / (1024.0 * 1024.0);
    }

    private static double gemmGflops() {
        int n = 2048;
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.create(DataType.FLOAT, n, n);
        double best = 0;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            double s = (System.nanoTime() - t0) / 1e9;
            best = Math.max(best, 2.0 * n * n * n / s / 1e9);
        }
        return best;
    }

    /** Times {@code a} and {@code b} in turns (a, b, a, b, …), after warm-up of both. */
    private double[][] timeAlternately(Runnable a, Runnable b, MemoryGuard memory) {
        double[][] s = new double[2][reps];
        for (int i = 0; i < warmup + reps; i++) {
            Runnable[] both = {a, b};
            for (int k = 0; k < 2; k++) {
                long t0 = System.nanoTime();
                both[k].run();
                double sec = (System.nanoTime() - t0) / 1e9;
                memory.check();
                if (i >= warmup) {
                    s[k][i - warmup] = sec;
                }
            }
        }
        return s;
    }

    private static double[] time(int warmup, int reps, Runnable r, MemoryGuard memory) {
        double[] s = new double[reps];
        for (int i = 0; i < warmup + reps; i++) {
            long t0 = System.nanoTime();
            r.run();
            double sec = (System.nanoTime() - t0) / 1e9;
            memory.check();
            if (i >= warmup) {
                s[i - warmup] = sec;
            }
        }
        return s;
    }

    /** Milliseconds the JVM's garbage collectors have spent so far. */
    private static long gcMillis() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).filter(v -> v > 0).sum();
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    /** Random 28×28 images in 10 classes (timing does not depend on content). */
    private static LabelledImages syntheticDigits(int n) {
        byte[] px = new byte[n * 784];
        new java.util.Random(1).nextBytes(px);
        int[] labels = new int[n];
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            ids[i] = i;
        }
        return new LabelledImages("synthetic", 1, 28, 28, 10, px, labels, ids);
    }
}
