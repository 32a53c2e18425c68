package org.erasediff.dl4j.unlearn;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.schedule.ScheduleType;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.dl4j.checkpoint.CheckpointStore;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.listen.RunListener;
import org.erasediff.dl4j.loop.LoopResult;
import org.erasediff.dl4j.loop.LoopSettings;
import org.erasediff.dl4j.loop.TrainingLoop;
import org.nd4j.autodiff.listeners.Listener;

/**
 * EraseDiff (Wu et al., arXiv 2401.05779) on any SameDiff noise-prediction graph, run on the
 * shared {@link TrainingLoop}. The config's mode picks the step: {@link FaithfulEraseDiffStep}
 * (the paper's constrained update) or {@link ReferenceEraseDiffStep} (the authors' code path).
 *
 * <p>Safety: the input graph is never modified; checkpoints are atomic and a run resumes
 * exactly; a non-finite loss, gradient or parameter rolls back to the step's starting state and
 * lowers the step size, aborting with a {@link org.erasediff.dl4j.loop.TrainingDivergedException}
 * after the policy's retries. The config's early stop is honoured.
 */
public final class EraseDiffUnlearner implements Unlearner {

    private final EraseDiffConfig config;
    private final ScheduleConfig scheduleConfig;
    private final CheckpointStore checkpoints;
    private final int checkpointEvery;
    private final List<RunListener> listeners;
    private final List<Listener> sameDiffListeners;
    private final Map<String, String> inputs;

    private EraseDiffUnlearner(Builder b) {
        config = b.config;
        scheduleConfig = b.schedule;
        checkpoints = b.checkpoints;
        checkpointEvery = b.checkpointEvery;
        listeners = List.copyOf(b.listeners);
        sameDiffListeners = List.copyOf(b.sameDiffListeners);
        inputs = Map.copyOf(b.inputs);
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
        EraseDiffStep step = config.mode() == EraseDiffConfig.Mode.REFERENCE_COMPATIBLE
                ? new ReferenceEraseDiffStep(config, scheduleConfig, split)
                : new FaithfulEraseDiffStep(config, scheduleConfig, split);
        LoopSettings settings = new LoopSettings(config.outerSteps(), config.updater(), null, config.clipNorm(),
                config.emaDecay(), config.emaWarmup(), config.nanPolicy(), config.parameters(), config.seed());
        TrainingLoop.Builder loop = TrainingLoop.builder(model, step, settings).addListeners(listeners)
                .addSameDiffListeners(sameDiffListeners).optEarlyStop(config.earlyStop());
        inputs.forEach(loop::optProvenance);
        if (checkpoints != null) {
            loop.optCheckpoints(checkpoints, checkpointEvery);
        }
        LoopResult r = loop.build().run();
        return new UnlearningResult(r.model(), r.history(), r.provenance(), r.seconds(), r.stopReason());
    }

    /** Builder: the config is required; everything else optional. */
    public static final class Builder {
        private final EraseDiffConfig config;
        private ScheduleConfig schedule = ScheduleConfig.builder(ScheduleType.LINEAR).build();
        private CheckpointStore checkpoints;
        private int checkpointEvery;
        private final List<RunListener> listeners = new ArrayList<>();
        private final List<Listener> sameDiffListeners = new ArrayList<>();
        private final Map<String, String> inputs = new LinkedHashMap<>();

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
            checkpoints = Objects.requireNonNull(store, "store");
            checkpointEvery = every;
            return this;
        }

        /** Adds run listeners. */
        public Builder addListeners(RunListener... l) {
            listeners.addAll(Arrays.asList(l));
            return this;
        }

        /** Adds standard SameDiff listeners (called with real iteration numbers, batches and losses). */
        public Builder addSameDiffListeners(Listener... l) {
            sameDiffListeners.addAll(Arrays.asList(l));
            return this;
        }

        /** Records a fact about the input (e.g. the model file's SHA-256) in the result's provenance. */
        public Builder optProvenance(String key, String value) {
            inputs.put(key, value);
            return this;
        }

        /** Builds the unlearner. */
        public EraseDiffUnlearner build() {
            return new EraseDiffUnlearner(this);
        }
    }
}
