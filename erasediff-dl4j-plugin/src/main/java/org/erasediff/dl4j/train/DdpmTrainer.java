package org.erasediff.dl4j.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.erasediff.core.data.BatchIterator;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.optim.ExponentialMovingAverage;
import org.erasediff.core.optim.GradientClipping;
import org.erasediff.core.optim.ParameterSelection;
import org.erasediff.core.optim.UpdaterSettings;
import org.erasediff.core.progress.ProgressMeter;
import org.erasediff.core.sampling.NoisePredictor;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.core.util.RngPurpose;
import org.erasediff.core.util.RngStreams;
import org.erasediff.dl4j.checkpoint.CheckpointStore;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.listen.SameDiffListenerBridge;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a diffusion graph with the DDPM objective: label dropout for classifier-free guidance,
 * antithetic timesteps, Adam with warm-up and cosine decay, global gradient-norm clipping, EMA of
 * the weights, periodic atomic checkpoints and exact resume, a progress line with ETA, and
 * standard SameDiff listeners called with real iteration numbers and losses.
 *
 * <p>The user's graph is never modified: training runs on a private copy, and the result is a
 * fresh copy of the original graph holding the (EMA) weights. Every random draw is a pure
 * function of (seed, purpose, step), so a run resumed from a checkpoint reproduces an
 * uninterrupted run.
 */
public final class DdpmTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(DdpmTrainer.class);
    private static final int MAX_CONSECUTIVE_NON_FINITE = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DiffusionGraph model;
    private final DdpmTrainingConfig config;
    private final ParameterSelection selection;
    private final CheckpointStore checkpoints;
    private final List<Listener> listeners;

    /** What a training run produced. */
    public record Result(DiffusionGraph model, float[] lossHistory, int steps, int resumedFrom, double seconds) {
    }

    /**
     * @param model       the graph to train (not modified)
     * @param config      the settings
     * @param selection   which parameters to train
     * @param checkpoints where to checkpoint and resume from, or {@code null} for none
     * @param listeners   standard SameDiff listeners to call every step
     */
    public DdpmTrainer(DiffusionGraph model, DdpmTrainingConfig config, ParameterSelection selection,
                       CheckpointStore checkpoints, List<Listener> listeners) {
        this.model = model;
        this.config = config;
        this.selection = selection;
        this.checkpoints = checkpoints;
        this.listeners = List.copyOf(listeners);
        if (config.schedule().timesteps() != model.spec().numTimesteps()) {
            throw new IllegalArgumentException("the noise schedule has T = " + config.schedule().timesteps()
                    + " but the graph spec says numTimesteps = " + model.spec().numTimesteps());
        }
    }

    /**
     * Trains on {@code data}, resuming from the latest checkpoint if there is one.
     *
     * @throws IllegalArgumentException if the data does not fit the graph or no parameter is selected
     * @throws IllegalStateException    if training diverges (repeated non-finite losses or gradients)
     */
    public Result train(LabelledImages data) throws IOException {
        long[] chw = model.imageShape();
        if (data.channels() != chw[0] || data.height() != chw[1] || data.width() != chw[2]) {
            throw new IllegalArgumentException("images are " + data.channels() + "x" + data.height() + "x"
                    + data.width() + " but the graph takes " + Arrays.toString(chw));
        }
        if (model.isConditional() && data.numClasses() > model.spec().numClasses()) {
            throw new IllegalArgumentException("the data has " + data.numClasses() + " classes but the graph only "
                    + model.spec().numClasses());
        }
        DiffusionGraph working = new DiffusionGraph(model.sameDiff().dup(), model.spec(), chw);
        WeightedDenoisingLoss.addTo(working);
        List<String> names = selection.select(parameterNames(model.sameDiff()));
        if (names.isEmpty()) {
            throw new IllegalArgumentException("the parameter selection " + selection + " matches no parameter");
        }
        GradientEngine engine = new GradientEngine(working, names);
        try {
            List<INDArray> params = engine.parameters();
            List<INDArray> grads = engine.gradients();
            ParameterUpdater updater = new ParameterUpdater(UpdaterSettings.adam(config.learningRate()),
                    new WarmupCosineSchedule(config.learningRate(), config.warmupSteps(), config.steps(),
                            config.finalLrFraction()), params);
            ExponentialMovingAverage ema = config.emaDecay() > 0 ? new ExponentialMovingAverage(params, config.emaDecay())
                    : null;
            NoiseSchedule schedule = NoiseSchedule.create(config.schedule());
            RngStreams rng = new RngStreams(config.seed());
            BatchIterator batches = new BatchIterator(data, config.batchSize(), rng.seed(RngPurpose.REMAIN_BATCHES, 0));
            float[] history = new float[config.steps()];

            int start = resume(engine, updater, ema, history);
            batches.skip(start);

            int b = config.batchSize();
            int numT = schedule.numTimesteps();
            INDArray noise = Nd4j.create(DataType.FLOAT, b, chw[0], chw[1], chw[2]);
            INDArray xt = noise.ulike();
            INDArray weights = Nd4j.valueArrayOf(new long[] {b}, 1f / b, DataType.FLOAT);
            int[] timesteps = new int[b];
            int[] labels = model.isConditional() ? new int[b] : null;
            Random noiseRng = Nd4j.getRandomFactory().getNewRandomInstance(config.seed());
            SameDiffListenerBridge bridge = new SameDiffListenerBridge(listeners, WeightedDenoisingLoss.LOSS);
            bridge.start(working.sameDiff());
            ProgressMeter meter = new ProgressMeter(LOG, "ddpm-train", config.steps(), start, 30);
            MemoryGuard memory = MemoryGuard.fromSystemProperty();
            long t0 = System.nanoTime();
            int nonFinite = 0;
            double lossAvg = Double.NaN;
            for (int step = start; step < config.steps(); step++) {
                BatchIterator.Batch batch = batches.next();
                drawTimesteps(rng.random(RngPurpose.TIMESTEPS, step), timesteps, numT);
                if (labels != null) {
                    SplittableRandom drop = rng.random(RngPurpose.LABEL_DROPOUT, step);
                    for (int i = 0; i < b; i++) {
                        labels[i] = drop.nextDouble() < config.labelDropout() ? NoisePredictor.NULL_LABEL : batch.labels()[i];
                    }
                }
                noiseRng.setSeed(rng.seed(RngPurpose.NOISE, step));
                Nd4j.getExecutioner().exec(new GaussianDistribution(noise, 0.0, 1.0), noiseRng);
                schedule.addNoise(batch.images(), noise, timesteps, xt);
                org.nd4j.linalg.dataset.MultiDataSet listenerBatch = bridge.isEmpty() ? null
                        : new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {xt, noise}, null);
                bridge.iterationStart(step, listenerBatch);

                double loss = engine.computeGradients(xt, timesteps, labels, noise, weights);
                memory.check();
                GradientClipping.Result clip = GradientClipping.clipByGlobalNorm(grads,
                        config.clipNorm() > 0 ? config.clipNorm() : Double.POSITIVE_INFINITY);
                if (!Double.isFinite(loss) || !clip.isFinite()) {
                    nonFinite++;
                    LOG.warn("step {}: non-finite loss {} or gradient norm {}; update skipped ({} in a row)", step, loss,
                            clip.normBefore(), nonFinite);
                    if (nonFinite >= MAX_CONSECUTIVE_NON_FINITE) {
                        throw new IllegalStateException("training diverged: " + nonFinite
                                + " consecutive steps with a non-finite loss or gradient, the last at step " + step
                                + "; lower the learning rate or check the data (the last checkpoint is intact)");
                    }
                    history[step] = Float.NaN;
                    continue;
                }
                nonFinite = 0;
                updater.apply(grads, params, step);
                if (ema != null) {
                    ema.update(params);
                }
                history[step] = (float) loss;
                lossAvg = Double.isNaN(lossAvg) ? loss : 0.98 * lossAvg + 0.02 * loss;
                bridge.iterationDone(step, listenerBatch, loss);
                int done = step + 1;
                double avg = lossAvg;
                meter.update(done, () -> String.format(java.util.Locale.ROOT, "loss %.4f (avg %.4f) lr %.2e |g| %.3f",
                        loss, avg, updater.learningRate(done - 1), clip.normBefore()));
                if (checkpoints != null && config.checkpointEvery() > 0
                        && (done % config.checkpointEvery() == 0 || done == config.steps())) {
                    saveCheckpoint(done, engine, updater, ema, history);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            bridge.end(config.steps(), (long) (seconds * 1000));
            DiffusionGraph result = new DiffusionGraph(OptimizerState.withWeights(model.sameDiff(), names,
                    ema != null ? ema.shadow() : params), model.spec(), chw);
            return new Result(result, history, config.steps(), start, seconds);
        } finally {
            engine.close();
        }
    }

    private void drawTimesteps(SplittableRandom r, int[] t, int numT) {
        int b = t.length;
        if (!config.antithetic()) {
            for (int i = 0; i < b; i++) {
                t[i] = r.nextInt(numT);
            }
            return;
        }
        int half = b / 2;
        for (int i = 0; i < half; i++) {
            t[i] = r.nextInt(numT);
            t[half + i] = numT - 1 - t[i];
        }
        if (b % 2 == 1) {
            t[b - 1] = r.nextInt(numT);
        }
    }

    /** Names of a graph's parameters (VARIABLE type) in graph order. */
    public static List<String> parameterNames(SameDiff sd) {
        List<String> names = new ArrayList<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                names.add(v.name());
            }
        }
        return names;
    }

    private int resume(GradientEngine engine, ParameterUpdater updater, ExponentialMovingAverage ema, float[] history)
            throws IOException {
        if (checkpoints == null) {
            return 0;
        }
        Optional<CheckpointStore.Checkpoint> latest = checkpoints.latest();
        if (latest.isEmpty()) {
            return 0;
        }
        CheckpointStore.Checkpoint ck = latest.get();
        ObjectNode state = (ObjectNode) JSON.readTree(ck.json());
        DdpmTrainingConfig saved = DdpmTrainingConfig.fromJson(state.get("config").toString());
        if (!sameRun(saved, config)) {
            throw new IllegalArgumentException("checkpoint " + ck.dir() + " was written with another config ("
                    + saved.toJson() + "); use a new checkpoint folder or the same settings to resume"
                    + " (only steps and checkpointEvery may change)");
        }
        if (ck.step() > config.steps()) {
            throw new IllegalArgumentException("checkpoint " + ck.dir() + " is at step " + ck.step()
                    + ", beyond the requested " + config.steps() + " steps");
        }
        if (saved.steps() != config.steps()) {
            LOG.warn("changing the run length from {} to {} steps: the learning-rate schedule changes from step {} on",
                    saved.steps(), config.steps(), ck.step());
        }
        Map<String, INDArray> arrays = ck.arrays();
        OptimizerState.restore(arrays, engine.parameterNames(), engine.parameters(), updater, ema, ck.dir());
        INDArray h = arrays.get("history/loss");
        float[] saved0 = h.toFloatVector(); // may be shorter or longer than this run's history
        System.arraycopy(saved0, 0, history, 0, Math.min(saved0.length, history.length));
        LOG.info("resuming from checkpoint {} at step {}", ck.dir(), ck.step());
        return (int) ck.step();
    }

    /** Whether two configs describe the same run, allowing a different length and checkpoint interval. */
    private static boolean sameRun(DdpmTrainingConfig a, DdpmTrainingConfig b) {
        DdpmTrainingConfig aa = new DdpmTrainingConfig(b.steps(), a.batchSize(), a.learningRate(), a.warmupSteps(),
                a.finalLrFraction(), a.labelDropout(), a.clipNorm(), a.emaDecay(), a.antithetic(), a.seed(),
                b.checkpointEvery(), a.schedule());
        return aa.equals(b);
    }

    private void saveCheckpoint(int step, GradientEngine engine, ParameterUpdater updater,
                                ExponentialMovingAverage ema, float[] history) throws IOException {
        List<String> names = engine.parameterNames();
        Map<String, INDArray> arrays = new LinkedHashMap<>(
                OptimizerState.collect(names, engine.parameters(), updater, ema));
        arrays.put("history/loss", Nd4j.createFromArray(history));
        ObjectNode state = JSON.createObjectNode();
        state.put("step", step);
        state.set("config", JSON.readTree(config.toJson()));
        state.putPOJO("trainable", names);
        // the model file holds the EMA weights when EMA is on: it is directly usable for sampling
        SameDiff snapshot = OptimizerState.withWeights(model.sameDiff(), names,
                ema != null ? ema.shadow() : engine.parameters());
        checkpoints.save(step, snapshot, arrays, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));
        LOG.info("checkpoint at step {} written to {}", step, checkpoints.root());
    }
}
