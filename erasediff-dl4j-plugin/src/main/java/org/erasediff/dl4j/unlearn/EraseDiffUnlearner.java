package org.erasediff.dl4j.unlearn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.optim.ExponentialMovingAverage;
import org.erasediff.core.optim.GradientClipping;
import org.erasediff.core.optim.GradientVectors;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.unlearn.ConstrainedDirection;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.core.unlearn.GradientStats;
import org.erasediff.core.unlearn.LambdaRule;
import org.erasediff.core.util.RngStreams;
import org.erasediff.dl4j.checkpoint.CheckpointStore;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.listen.SameDiffListenerBridge;
import org.erasediff.dl4j.train.DdpmTrainer;
import org.erasediff.dl4j.train.GradientEngine;
import org.erasediff.dl4j.train.MemoryGuard;
import org.erasediff.dl4j.train.OptimizerState;
import org.erasediff.dl4j.train.ParameterUpdater;
import org.erasediff.dl4j.train.WeightedDenoisingLoss;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EraseDiff on any SameDiff noise-prediction graph (Wu et al., arXiv 2401.05779; see
 * {@code ERASEDIFF.md} §2–3).
 *
 * <p><b>FAITHFUL</b> (default): per outer step a remain batch and a forget batch; the forgetting
 * loss with the configured target; when q is needed, K plain gradient-descent steps of size ξ on
 * f from a copy of θ (restored afterwards; the outer optimiser's state is never touched); λ by the
 * configured rule; δ = ∇L_r + λ∇L_f; global-norm clipping; the outer updater; EMA. With a fixed
 * λ and no q monitoring, ∇L_r + λ∇L_f is computed as the gradient of one per-sample weighted loss
 * over the stacked batch (one forward/backward instead of two) and the inner loop is skipped:
 * neither can change the update.
 *
 * <p><b>REFERENCE_COMPATIBLE</b>: the authors' code path — per round, save θ, run the inner epochs
 * of the <em>shared</em> optimiser on L_f over the forget set, record the mean loss c of the last
 * epoch, restore θ (not the optimiser's moments), then take outer steps of the shared optimiser on
 * L_r + λ(L_f − c) with c detached (so the gradient is that of L_r + λL_f).
 *
 * <p>Safety: the input graph is never modified; checkpoints are atomic and a run resumes exactly;
 * a non-finite loss, gradient or parameter rolls back to the step's starting state and lowers the
 * step size, aborting with {@link UnlearningDivergedException} after the policy's retries.
 */
public final class EraseDiffUnlearner implements Unlearner {

    private static final Logger LOG = LoggerFactory.getLogger(EraseDiffUnlearner.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EraseDiffConfig config;
    private final ScheduleConfig scheduleConfig;
    private final CheckpointStore checkpoints;
    private final int checkpointEvery;
    private final List<EraseDiffListener> listeners;
    private final List<Listener> sameDiffListeners;
    private final Map<String, Object> inputDescription;

    private EraseDiffUnlearner(Builder b) {
        this.config = b.config;
        this.scheduleConfig = b.schedule;
        this.checkpoints = b.checkpoints;
        this.checkpointEvery = b.checkpointEvery;
        this.listeners = List.copyOf(b.listeners);
        this.sameDiffListeners = List.copyOf(b.sameDiffListeners);
        this.inputDescription = Map.copyOf(b.inputDescription);
    }

    /** Starts a builder with the required config. */
    public static Builder builder(EraseDiffConfig config) {
        return new Builder(config);
    }

    /** The config. */
    public EraseDiffConfig config() {
        return config;
    }

    @Override
    public UnlearningResult unlearn(DiffusionGraph model, ForgetRemainSplit split) throws IOException {
        Run run = new Run(model, split);
        try {
            return run.execute();
        } finally {
            run.engine.close();
        }
    }

    /** The mutable state of one run. */
    private final class Run {
        private final DiffusionGraph model;
        private final ForgetRemainSplit split;
        private final DiffusionGraph working;
        private final GradientEngine engine;
        private final List<INDArray> params;
        private final List<INDArray> grads;
        private final List<INDArray> gradRemain;
        private final List<INDArray> gradForget;
        private final List<INDArray> snapshot;
        /** θ before the inner loop (or a reference round), restored after it; allocated once. */
        private final List<INDArray> innerSnapshot;
        private final List<INDArray> updaterSnapshot;
        private final ParameterUpdater updater;
        private final ExponentialMovingAverage ema;
        private final UnlearningBatches batches;
        private final boolean separatePasses;
        private final List<StepMetrics> history = new ArrayList<>();
        private double stepScale = 1.0;

        Run(DiffusionGraph model, ForgetRemainSplit split) {
            this.model = model;
            this.split = split;
            validate(model, split);
            long[] chw = model.imageShape();
            working = new DiffusionGraph(model.sameDiff().dup(), model.spec(), chw);
            WeightedDenoisingLoss.addTo(working);
            List<String> names = config.parameters().select(DdpmTrainer.parameterNames(model.sameDiff()));
            if (names.isEmpty()) {
                throw new IllegalArgumentException("the parameter selection " + config.parameters()
                        + " matches no parameter of the graph");
            }
            engine = new GradientEngine(working, names);
            params = engine.parameters();
            grads = engine.gradients();
            separatePasses = config.lambdaRule().needsSeparateGradients() || config.monitorQ()
                    || config.lambdaRule().needsConstraintValue();
            gradRemain = separatePasses ? GradientVectors.allocateLike(params) : null;
            gradForget = separatePasses ? GradientVectors.allocateLike(params) : null;
            snapshot = GradientVectors.allocateLike(params);
            innerSnapshot = config.runsInnerLoop() || config.mode() == EraseDiffConfig.Mode.REFERENCE_COMPATIBLE
                    ? GradientVectors.allocateLike(params) : null;
            updater = new ParameterUpdater(config.updater(), null, params);
            updaterSnapshot = new ArrayList<>();
            for (INDArray s : updater.state()) {
                updaterSnapshot.add(s == null ? null : s.dup());
            }
            ema = config.keepsEma() ? new ExponentialMovingAverage(params, config.emaDecay()) : null;
            batches = new UnlearningBatches(split, chw, config.remainBatchSize(), config.forgetBatchSize(),
                    model.isConditional(), model.spec().numClasses(), NoiseSchedule.create(scheduleConfig),
                    config.forgetTarget(), new RngStreams(config.seed()));
        }

        UnlearningResult execute() throws IOException {
            int start = resume();
            // reference rounds before the resumed step drew batches and stepped the shared optimiser too
            int innerDraws = config.mode() == EraseDiffConfig.Mode.REFERENCE_COMPATIBLE ? innerDrawsBefore(start) : 0;
            batches.skipTo(start + innerDraws);
            int total = config.outerSteps();
            for (EraseDiffListener l : listeners) {
                l.onStart(total, start);
            }
            SameDiffListenerBridge bridge = new SameDiffListenerBridge(sameDiffListeners, WeightedDenoisingLoss.LOSS);
            bridge.start(working.sameDiff());
            MemoryGuard memory = MemoryGuard.fromSystemProperty();
            long t0 = System.nanoTime();
            boolean stopped = false;
            ReferenceRounds rounds = config.mode() == EraseDiffConfig.Mode.REFERENCE_COMPATIBLE
                    ? new ReferenceRounds(start + innerDraws) : null;
            for (int step = start; step < total && !stopped; step++) {
                long s0 = System.nanoTime();
                bridge.iterationStart(step, null);
                if (rounds != null && rounds.startsRound(step)) {
                    rounds.runInnerEpochs(step);
                }
                StepMetrics m = stepWithRollback(step, rounds, s0);
                memory.check();
                history.add(m);
                bridge.iterationDone(step, null, m.remainLoss() + m.lambda() * m.forgetLoss());
                for (EraseDiffListener l : listeners) {
                    stopped |= !l.onStep(m, working);
                }
                int done = step + 1;
                if (checkpoints != null && checkpointEvery > 0 && (done % checkpointEvery == 0 || done == total)) {
                    saveCheckpoint(done);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            bridge.end(history.isEmpty() ? start : history.get(history.size() - 1).step(), (long) (seconds * 1000));
            for (EraseDiffListener l : listeners) {
                l.onEnd(history);
            }
            DiffusionGraph result = new DiffusionGraph(OptimizerState.withWeights(model.sameDiff(),
                    engine.parameterNames(), ema != null ? ema.shadow() : params), model.spec(), model.imageShape());
            return new UnlearningResult(result, List.copyOf(history), provenance(model, split), seconds, stopped);
        }

        private StepMetrics stepWithRollback(int step, ReferenceRounds rounds, long s0) {
            GradientVectors.copyInto(params, snapshot);
            copyState(updater.state(), updaterSnapshot);
            List<String> failures = new ArrayList<>();
            for (int attempt = 0; ; attempt++) {
                String problem;
                StepMetrics m = null;
                try {
                    m = step(step, rounds, s0);
                    problem = m == null ? null : checkFinite(m);
                } catch (org.erasediff.core.unlearn.NonFiniteGradientException e) {
                    problem = e.getMessage();
                }
                if (problem == null) {
                    return m;
                }
                GradientVectors.copyInto(snapshot, params);
                copyState(updaterSnapshot, updater.state());
                failures.add("attempt " + (attempt + 1) + " (step scale " + stepScale + "): " + problem);
                if (attempt >= config.nanPolicy().maxRetries()) {
                    throw new UnlearningDivergedException("unlearning diverged at step " + step + " after "
                            + failures.size() + " attempts, each rolled back: " + String.join("; ", failures)
                            + ". The input model is untouched; lower the learning rate or λ, or check the data.");
                }
                stepScale *= config.nanPolicy().stepSizeBackoff();
                updater.setStepScale(stepScale);
                LOG.warn("step {}: {}; rolled back, retrying with step scale {}", step, problem, stepScale);
                for (EraseDiffListener l : listeners) {
                    l.onRollback(step, problem, stepScale);
                }
            }
        }

        private String checkFinite(StepMetrics m) {
            if (!Double.isFinite(m.remainLoss()) || !Double.isFinite(m.forgetLoss())) {
                return "non-finite loss (L_r " + m.remainLoss() + ", L_f " + m.forgetLoss() + ")";
            }
            if (!Double.isFinite(m.directionNorm())) {
                return "non-finite update direction (norm " + m.directionNorm() + ")";
            }
            double pn = GradientVectors.squaredNorm(params);
            if (!Double.isFinite(pn)) {
                return "non-finite parameters after the update";
            }
            return null;
        }

        private StepMetrics step(int step, ReferenceRounds rounds, long s0) {
            batches.draw(step, working);
            double lambda;
            double lr;
            double lf;
            double q = Double.NaN;
            double normR = Double.NaN;
            double normF = Double.NaN;
            int br = batches.remainSize();
            if (!separatePasses || rounds != null) {
                lambda = ((LambdaRule.Fixed) config.lambdaRule()).lambda();
                batches.stack(lambda);
                engine.computeGradients(batches.xt, batches.timesteps, batches.labels, batches.target0,
                        batches.weights);
                double[] per = engine.perSampleLosses();
                lr = mean(per, 0, br);
                lf = mean(per, br, per.length);
            } else {
                lr = engine.computeGradients(batches.xtRemain, batches.timestepsRemain, batches.labelsRemain,
                        batches.targetRemain, batches.weightsRemain);
                GradientVectors.copyInto(grads, gradRemain);
                lf = engine.computeGradients(batches.xtForget, batches.timestepsForget, batches.labelsForget,
                        batches.targetForget, batches.weightsForget);
                GradientVectors.copyInto(grads, gradForget);
                if (config.runsInnerLoop()) {
                    q = constraintValue(lf);
                }
                GradientStats stats = Double.isNaN(q) ? ConstrainedDirection.measure(gradRemain, gradForget)
                        : ConstrainedDirection.measure(gradRemain, gradForget, q);
                normR = Math.sqrt(stats.normFSquared());
                normF = Math.sqrt(stats.normQSquared());
                lambda = ConstrainedDirection.applyInPlace(config.lambdaRule(), gradRemain, gradForget, stats);
                GradientVectors.copyInto(gradRemain, grads);
            }
            GradientClipping.Result clip = GradientClipping.clipByGlobalNorm(grads,
                    config.clipsGradients() ? config.clipNorm() : Double.POSITIVE_INFINITY);
            if (!clip.isFinite() || !Double.isFinite(lr) || !Double.isFinite(lf)) {
                return new StepMetrics(step, lr, lf, q, lambda, normR, normF, clip.normBefore(), clip.clipped(),
                        stepScale, (System.nanoTime() - s0) / 1e9);
            }
            updater.apply(grads, params, rounds != null ? rounds.iteration++ : step);
            if (ema != null) {
                ema.update(params);
            }
            return new StepMetrics(step, lr, lf, q, lambda, normR, normF, clip.normBefore(), clip.clipped(),
                    stepScale, (System.nanoTime() - s0) / 1e9);
        }

        /** q = f(θ) − f(θ_K): K plain GD steps of size ξ on f from θ, measured, then θ restored. */
        private double constraintValue(double f0) {
            List<INDArray> theta0 = innerSnapshot;
            GradientVectors.copyInto(params, theta0);
            try {
                GradientVectors.addScaledInPlace(params, -config.innerStepSize(), gradForget);
                for (int k = 1; k < config.innerSteps(); k++) {
                    engine.computeGradients(batches.xtForget, batches.timestepsForget, batches.labelsForget,
                            batches.targetForget, batches.weightsForget);
                    GradientVectors.addScaledInPlace(params, -config.innerStepSize(), grads);
                }
                double fK = engine.evaluateLoss(batches.xtForget, batches.timestepsForget, batches.labelsForget,
                        batches.targetForget, batches.weightsForget);
                return f0 - fK;
            } finally {
                GradientVectors.copyInto(theta0, params);
            }
        }

        /** Batches the reference rounds started before {@code step} drew (each also stepped the optimiser). */
        private int innerDrawsBefore(int step) {
            if (config.referenceInnerEpochs() == 0) {
                return 0;
            }
            int per = config.referenceOuterStepsPerRound();
            int roundsStarted = (step + per - 1) / per;
            return roundsStarted * config.referenceInnerEpochs() * innerBatchesPerEpoch();
        }

        private int innerBatchesPerEpoch() {
            return Math.max(1, split.forget().size() / config.forgetBatchSize());
        }

        /** The authors' round structure: the shared optimiser's inner epochs on L_f, then θ restored. */
        private final class ReferenceRounds {
            /** The shared optimiser's update count (outer steps and inner-epoch steps). */
            private int iteration;

            ReferenceRounds(int iteration) {
                this.iteration = iteration;
            }

            boolean startsRound(int step) {
                return step % config.referenceOuterStepsPerRound() == 0 && config.referenceInnerEpochs() > 0;
            }

            void runInnerEpochs(int step) {
                List<INDArray> theta0 = innerSnapshot;
                GradientVectors.copyInto(params, theta0);
                int perEpoch = innerBatchesPerEpoch();
                double last = 0;
                for (int e = 0; e < config.referenceInnerEpochs(); e++) {
                    double sum = 0;
                    for (int i = 0; i < perEpoch; i++) {
                        batches.draw(step * 100_003 + e * 10_007 + i, working);
                        sum += engine.computeGradients(batches.xtForget, batches.timestepsForget,
                                batches.labelsForget, batches.targetForget, batches.weightsForget);
                        GradientClipping.clipByGlobalNorm(grads, config.clipsGradients() ? config.clipNorm()
                                : Double.POSITIVE_INFINITY);
                        updater.apply(grads, params, iteration++);
                    }
                    last = sum / perEpoch;
                }
                GradientVectors.copyInto(theta0, params);
                LOG.debug("round at step {}: inner loss c = {}", step, last);
            }
        }

        private int resume() throws IOException {
            if (checkpoints == null) {
                return 0;
            }
            Optional<CheckpointStore.Checkpoint> latest = checkpoints.latest();
            if (latest.isEmpty()) {
                return 0;
            }
            CheckpointStore.Checkpoint ck = latest.get();
            ObjectNode state = (ObjectNode) JSON.readTree(ck.json());
            EraseDiffConfig saved = EraseDiffConfig.fromJson(state.get("config").toString());
            if (!saved.equals(config)) {
                throw new IllegalArgumentException("checkpoint " + ck.dir() + " belongs to a run with another config;"
                        + " use a new checkpoint folder or the same settings to resume");
            }
            String inputHash = state.path("forgetHash").asText();
            if (!inputHash.equals(split.forget().contentHash())) {
                throw new IllegalArgumentException("checkpoint " + ck.dir() + " belongs to another forget set");
            }
            OptimizerState.restore(ck.arrays(), engine.parameterNames(), params, updater, ema, ck.dir());
            stepScale = state.path("stepScale").asDouble(1.0);
            if (stepScale != 1.0) {
                updater.setStepScale(stepScale);
            }
            for (var node : state.withArray("history")) {
                history.add(JSON.treeToValue(node, StepMetrics.class));
            }
            LOG.info("resuming unlearning from {} at step {}", ck.dir(), ck.step());
            return (int) ck.step();
        }

        private void saveCheckpoint(int step) throws IOException {
            List<String> names = engine.parameterNames();
            Map<String, INDArray> arrays = OptimizerState.collect(names, params, updater, ema);
            ObjectNode state = JSON.createObjectNode();
            state.put("step", step);
            state.set("config", JSON.readTree(config.toJson()));
            state.put("forgetHash", split.forget().contentHash());
            state.put("stepScale", stepScale);
            state.set("history", JSON.valueToTree(history));
            var snap = OptimizerState.withWeights(model.sameDiff(), names, ema != null ? ema.shadow() : params);
            checkpoints.save(step, snap, arrays, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));
        }
    }

    private void validate(DiffusionGraph model, ForgetRemainSplit split) {
        long[] chw = model.imageShape();
        if (split.forget().channels() != chw[0] || split.forget().height() != chw[1]
                || split.forget().width() != chw[2]) {
            throw new IllegalArgumentException("forget images are " + split.forget().channels() + "x"
                    + split.forget().height() + "x" + split.forget().width() + " but the graph takes "
                    + Arrays.toString(chw));
        }
        if (config.forgetTarget().requiresConditionalModel() && !model.isConditional()) {
            throw new IllegalArgumentException("forget target " + config.forgetTarget()
                    + " needs a conditional model; this graph is unconditional (use a uniform or shifted-Gaussian target)");
        }
        if (model.isConditional() && split.forget().numClasses() > model.spec().numClasses()) {
            throw new IllegalArgumentException("the data has " + split.forget().numClasses()
                    + " classes but the graph only " + model.spec().numClasses());
        }
        if (scheduleConfig.timesteps() != model.spec().numTimesteps()) {
            throw new IllegalArgumentException("the noise schedule has T = " + scheduleConfig.timesteps()
                    + " but the graph spec says numTimesteps = " + model.spec().numTimesteps());
        }
        if (config.mode() == EraseDiffConfig.Mode.REFERENCE_COMPATIBLE && !(config.lambdaRule() instanceof LambdaRule.Fixed)) {
            throw new IllegalArgumentException("REFERENCE_COMPATIBLE mode uses a fixed λ (the authors' weighted sum),"
                    + " got " + config.lambdaRule());
        }
    }

    private Map<String, Object> provenance(DiffusionGraph model, ForgetRemainSplit split) {
        Map<String, Object> p = new LinkedHashMap<>(inputDescription);
        p.put("method", "EraseDiff " + config.mode());
        p.put("config", config);
        p.put("schedule", scheduleConfig);
        p.put("forget", Map.of("description", split.description(), "images", split.forget().size(),
                "sha256", split.forget().contentHash()));
        p.put("remain", Map.of("images", split.remain().size(), "sha256", split.remain().contentHash()));
        p.put("seed", config.seed());
        p.put("trainable_parameters", config.parameters().toString());
        p.put("versions", Map.of("dl4j", "1.0.0-M2.1", "java", System.getProperty("java.version"),
                "nd4j_backend", Nd4j.getBackend().getClass().getSimpleName()));
        return p;
    }

    private static void copyState(List<INDArray> from, List<INDArray> to) {
        for (int i = 0; i < from.size(); i++) {
            if (from.get(i) != null) {
                to.get(i).assign(from.get(i));
            }
        }
    }

    private static double mean(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / (to - from);
    }

    /** Builder: the config is required; everything else optional. */
    public static final class Builder {
        private final EraseDiffConfig config;
        private ScheduleConfig schedule = ScheduleConfig.builder(org.erasediff.core.schedule.ScheduleType.LINEAR).build();
        private CheckpointStore checkpoints;
        private int checkpointEvery = 50;
        private final List<EraseDiffListener> listeners = new ArrayList<>();
        private final List<Listener> sameDiffListeners = new ArrayList<>();
        private final Map<String, Object> inputDescription = new LinkedHashMap<>();

        private Builder(EraseDiffConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** The noise schedule the model was trained with (default linear, T = 1000). */
        public Builder optSchedule(ScheduleConfig s) {
            schedule = Objects.requireNonNull(s);
            return this;
        }

        /** Checkpoint to (and resume from) {@code store} every {@code every} steps (default: no checkpoints). */
        public Builder optCheckpoints(CheckpointStore store, int every) {
            if (every <= 0) {
                throw new IllegalArgumentException("checkpoint interval must be > 0, was " + every);
            }
            checkpoints = store;
            checkpointEvery = every;
            return this;
        }

        /** Adds EraseDiff listeners. */
        public Builder addListeners(EraseDiffListener... l) {
            listeners.addAll(Arrays.asList(l));
            return this;
        }

        /** Adds standard SameDiff listeners (called with real iteration numbers and losses). */
        public Builder addSameDiffListeners(Listener... l) {
            sameDiffListeners.addAll(Arrays.asList(l));
            return this;
        }

        /** Records facts about the input (e.g. the model file's SHA-256) in the result's provenance. */
        public Builder optProvenance(String key, Object value) {
            inputDescription.put(key, value);
            return this;
        }

        /** Builds the unlearner. */
        public EraseDiffUnlearner build() {
            return new EraseDiffUnlearner(this);
        }
    }
}
