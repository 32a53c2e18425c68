package org.erasediff.dl4j.loop;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.erasediff.core.optim.ExponentialMovingAverage;
import org.erasediff.core.optim.GradientClipping;
import org.erasediff.core.optim.GradientVectors;
import org.erasediff.core.progress.ProgressMeter;
import org.erasediff.core.unlearn.EarlyStopSettings;
import org.erasediff.core.unlearn.EarlyStopTracker;
import org.erasediff.core.unlearn.NonFiniteGradientException;
import org.erasediff.core.util.RngStreams;
import org.erasediff.dl4j.checkpoint.CheckpointStore;
import org.erasediff.dl4j.engine.GradientEngine;
import org.erasediff.dl4j.engine.ParameterUpdater;
import org.erasediff.dl4j.engine.WeightedDenoisingLoss;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.listen.RunContext;
import org.erasediff.dl4j.listen.RunListener;
import org.erasediff.dl4j.listen.SameDiffListenerBridge;
import org.erasediff.dl4j.listen.StepMetrics;
import org.erasediff.dl4j.memory.MemoryGuard;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one training loop under DDPM training, EraseDiff and every other method: a
 * {@link StepAlgorithm} supplies each step's update direction, the loop does the rest.
 *
 * <p>Per step: snapshot the state; let the method draw its batch and compute the direction;
 * check every loss, the direction and the updated parameters for NaN/Inf; clip to the global
 * norm; apply the updater; fold the parameters into the EMA. A non-finite value rolls the whole
 * state back (parameters, updater state and count, batch-stream positions, method scalars — the
 * EMA is only updated after every check passed), lowers the step scale by the NaN policy's
 * back-off and retries the same step on the same batch; after the policy's retries it aborts with
 * a {@link TrainingDivergedException} listing every attempt. Then the listeners (which may stop
 * the run), early stopping, the progress line with ETA and, at the checkpoint cadence, an atomic
 * checkpoint from which {@link #run()} resumes exactly. Listeners' end hooks and the SameDiff
 * listeners' epoch/operation end fire however the run ends.
 *
 * <p>The input graph is never modified: the loop trains a private copy and returns a new graph
 * holding the returned weights.
 */
public final class TrainingLoop {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DiffusionGraph model;
    private final StepAlgorithm algorithm;
    private final LoopSettings settings;
    private final CheckpointStore checkpoints;
    private final int checkpointEvery;
    private final List<RunListener> listeners;
    private final List<Listener> sameDiffListeners;
    private final EarlyStopSettings earlyStop;
    private final Map<String, String> inputs;
    private final double progressSeconds;

    private TrainingLoop(Builder b) {
        model = b.model;
        algorithm = b.algorithm;
        settings = b.settings;
        checkpoints = b.checkpoints();
        checkpointEvery = b.checkpointEvery();
        listeners = b.listeners();
        sameDiffListeners = b.sameDiffListeners();
        earlyStop = b.earlyStop;
        inputs = b.inputs();
        progressSeconds = b.progressSeconds();
    }

    /**
     * Starts a builder.
     *
     * @param model     the model to train (never modified)
     * @param algorithm the method
     * @param settings  the loop's settings
     * @return a builder with no checkpoints, listeners or early stopping and a progress line every 10 s
     */
    public static Builder builder(DiffusionGraph model, StepAlgorithm algorithm, LoopSettings settings) {
        return new Builder(model, algorithm, settings);
    }

    /**
     * Runs (or resumes, when the checkpoint store holds a checkpoint of this run) to the last step.
     *
     * @throws IllegalArgumentException   on bad input or a checkpoint of another run, before any step
     * @throws TrainingDivergedException  when a step stays non-finite after every retry
     * @throws IOException                when checkpoints cannot be read or written
     */
    public LoopResult run() throws IOException {
        long[] chw = model.imageShape();
        List<String> names = settings.parameters().select(DiffusionGraph.parameterNames(model.sameDiff()));
        if (names.isEmpty()) {
            throw new IllegalArgumentException("the parameter selection " + settings.parameters()
                    + " matches no parameter of the graph");
        }
        String startedAt = Instant.now().toString();
        DiffusionGraph working = new DiffusionGraph(model.sameDiff().dup(), model.spec(), chw);
        WeightedDenoisingLoss.addTo(working);
        try (GradientEngine engine = new GradientEngine(working, names)) {
            ParameterUpdater updater = new ParameterUpdater(settings.updater(), settings.learningRateSchedule(),
                    engine.parameters());
            ExponentialMovingAverage ema = settings.emaDecay() > 0
                    ? new ExponentialMovingAverage(engine.parameters(), settings.emaDecay(), settings.emaWarmup())
                    : null;
            LoopState state = new LoopState(working, engine, updater, ema, new RngStreams(settings.seed()));
            long p0 = System.nanoTime();
            algorithm.prepare(state);
            double setupSeconds = (System.nanoTime() - p0) / 1e9;
            RunCheckpointer checkpointer = checkpoints == null ? null : new RunCheckpointer(checkpoints, algorithm);
            Sitting sitting = new Sitting(state, checkpointer);
            if (checkpointer != null) {
                checkpointer.resume(state, settings.steps()).ifPresent(sitting::restore);
            }
            sitting.runSteps();
            long values = engine.parameters().stream().mapToLong(INDArray::length).sum();
            RunProvenance provenance = new RunProvenance(algorithm.name(), JSON.readTree(algorithm.configJson()),
                    algorithm.data(), settings.seed(), names.size(), values, inputs, LibraryVersions.current(),
                    startedAt, sitting.start);
            DiffusionGraph result = model.rewrap(RunCheckpointer.withWeights(model.sameDiff(), names,
                    state.returnedWeights()));
            return new LoopResult(result, List.copyOf(sitting.history), sitting.start, sitting.seconds, setupSeconds,
                    sitting.stopReason, provenance);
        }
    }

    /** One sitting of the run: from its start (or resume) step to the end. */
    private final class Sitting implements RunContext {
        private final LoopState state;
        private final RunCheckpointer checkpointer;
        private final List<StepMetrics> history = new ArrayList<>();
        private final SameDiffListenerBridge bridge;
        private int start;
        private String stopReason;
        private double seconds;

        Sitting(LoopState state, RunCheckpointer checkpointer) {
            this.state = state;
            this.checkpointer = checkpointer;
            this.bridge = new SameDiffListenerBridge(sameDiffListeners, WeightedDenoisingLoss.LOSS);
        }

        void restore(RunCheckpointer.Resumed resumed) {
            history.addAll(resumed.history());
            start = history.size();
            stopReason = resumed.stopReason();
            LOG.info("{}: resuming at step {} of {}{}", algorithm.name(), start, settings.steps(),
                    stopReason == null ? "" : " (the run had already stopped: " + stopReason + ")");
        }

        void runSteps() throws IOException {
            EarlyStopTracker tracker = earlyStop == null ? null : new EarlyStopTracker(earlyStop);
            if (tracker != null) {
                history.forEach(m -> tracker.observe(earlyStopValue(m)));
            }
            ProgressMeter meter = new ProgressMeter(LOG, algorithm.name(), settings.steps(), start, progressSeconds);
            MemoryGuard memory = MemoryGuard.fromSystemProperty();
            LoopState.Snapshot snapshot = state.new Snapshot();
            Throwable failure = null;
            long t0 = System.nanoTime();
            bridge.start(state.working().sameDiff());
            try {
                for (RunListener l : listeners) {
                    l.onStart(this);
                }
                for (int step = start; step < settings.steps() && stopReason == null; step++) {
                    Attempted a = attempt(step, snapshot);
                    StepMetrics m = a.metrics();
                    history.add(m);
                    bridge.iterationDone(step, a.batch(), m.loss());
                    memory.check();
                    for (RunListener l : listeners) {
                        if (!l.onStep(m, this) && stopReason == null) {
                            stopReason = "stopped by " + l.getClass().getSimpleName() + " after step " + step;
                        }
                    }
                    if (tracker != null && tracker.observe(earlyStopValue(m)) && stopReason == null) {
                        stopReason = "early stop: smoothed " + earlyStop.metric() + " did not improve by "
                                + earlyStop.minDelta() + " for " + earlyStop.patience() + " steps (after step " + step
                                + ")";
                    }
                    int done = step + 1;
                    meter.update(done, m::summary);
                    boolean last = done == settings.steps() || stopReason != null;
                    if (checkpointer != null && checkpointEvery > 0 && (done % checkpointEvery == 0 || last)) {
                        checkpointer.save(done, state, history, stopReason, model.sameDiff());
                    }
                }
                if (stopReason != null) {
                    LOG.info("{}: {}", algorithm.name(), stopReason);
                }
            } catch (RuntimeException | IOException | Error e) {
                failure = e;
                throw e;
            } finally {
                seconds = (System.nanoTime() - t0) / 1e9;
                try {
                    bridge.end(history.isEmpty() ? start : history.get(history.size() - 1).step(),
                            (long) (seconds * 1000));
                } finally {
                    for (RunListener l : listeners) {
                        l.onEnd(this, failure);
                    }
                }
            }
        }

        private double earlyStopValue(StepMetrics m) {
            return switch (earlyStop.metric()) {
                case REMAIN_LOSS -> m.remainLoss();
                case FORGET_LOSS -> m.forgetLoss();
                case CONSTRAINT_GAP -> m.q();
            };
        }

        /** One step with the NaN policy: retried on the same batch with a lower step scale, or aborted. */
        private Attempted attempt(int step, LoopState.Snapshot snapshot) {
            snapshot.take();
            List<String> failures = new ArrayList<>();
            long s0 = System.nanoTime();
            for (int attempt = 0; ; attempt++) {
                String problem;
                StepLosses losses = null;
                GradientClipping.Result clip = null;
                double lr = state.updater().learningRate();
                MultiDataSet batch = null;
                try {
                    algorithm.drawBatch(step, state);
                    if (!bridge.isEmpty()) {
                        batch = algorithm.listenerBatch();
                        bridge.iterationStart(step, batch);
                    }
                    losses = algorithm.computeDirection(step, state);
                    problem = losses.nonFinite();
                    if (problem == null) {
                        clip = GradientClipping.clipByGlobalNorm(state.gradients(),
                                settings.clipNorm() > 0 ? settings.clipNorm() : Double.POSITIVE_INFINITY);
                        if (!clip.isFinite()) {
                            problem = "non-finite update direction (norm " + clip.normBefore() + ")";
                        } else {
                            state.updater().apply(state.gradients(), state.parameters());
                            if (!Double.isFinite(GradientVectors.squaredNorm(state.parameters()))) {
                                problem = "non-finite parameters after the update";
                            }
                        }
                    }
                } catch (NonFiniteGradientException e) {
                    problem = e.getMessage();
                }
                if (problem == null) {
                    if (state.ema() != null) {
                        state.ema().update(state.parameters());
                    }
                    StepMetrics m = new StepMetrics(step, losses.loss(), losses.remainLoss(), losses.forgetLoss(),
                            losses.q(), losses.innerForgetLoss(), losses.lambda(), losses.remainGradNorm(),
                            losses.forgetGradNorm(), clip.normBefore(), clip.clipped(), lr, state.stepScale(),
                            (System.nanoTime() - s0) / 1e9);
                    return new Attempted(m, batch);
                }
                snapshot.restore();
                failures.add("attempt " + (attempt + 1) + " (step scale " + state.stepScale() + "): " + problem);
                if (attempt >= settings.nanPolicy().maxRetries()) {
                    throw new TrainingDivergedException(algorithm.name() + " diverged at step " + step + " after "
                            + failures.size() + " attempts, each rolled back: " + String.join("; ", failures)
                            + ". The input model is untouched; lower the learning rate, check the data and the model.");
                }
                double scale = state.stepScale() * settings.nanPolicy().stepSizeBackoff();
                state.setStepScale(scale);
                LOG.warn("{} step {}: {}; rolled back, retrying with step scale {}", algorithm.name(), step, problem,
                        scale);
                for (RunListener l : listeners) {
                    l.onRollback(step, problem, scale, this);
                }
            }
        }

        @Override
        public String method() {
            return algorithm.name();
        }

        @Override
        public int startStep() {
            return start;
        }

        @Override
        public int totalSteps() {
            return settings.steps();
        }

        @Override
        public List<StepMetrics> history() {
            return Collections.unmodifiableList(history);
        }

        @Override
        public DiffusionGraph liveModel() {
            return state.working();
        }

        @Override
        public <T> T withReturnedWeights(Function<DiffusionGraph, T> probe) {
            ExponentialMovingAverage ema = state.ema();
            if (ema == null) {
                return probe.apply(state.working());
            }
            ema.swapWith(state.parameters());
            try {
                return probe.apply(state.working());
            } finally {
                ema.swapWith(state.parameters());
            }
        }
    }

    /** An accepted step and the batch the SameDiff listeners saw (null without such listeners). */
    private record Attempted(StepMetrics metrics, MultiDataSet batch) {
    }

    /** Builder: model, method and settings are required; the {@link RunOptions} and early stopping optional. */
    public static final class Builder extends RunOptions<Builder> {
        private final DiffusionGraph model;
        private final StepAlgorithm algorithm;
        private final LoopSettings settings;
        private EarlyStopSettings earlyStop;

        private Builder(DiffusionGraph model, StepAlgorithm algorithm, LoopSettings settings) {
            this.model = Objects.requireNonNull(model, "model");
            this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /** Stops once the smoothed metric has not improved for the settings' patience ({@code null}: never). */
        public Builder optEarlyStop(EarlyStopSettings s) {
            earlyStop = s;
            return this;
        }

        /** Builds the loop. */
        public TrainingLoop build() {
            return new TrainingLoop(this);
        }
    }
}
