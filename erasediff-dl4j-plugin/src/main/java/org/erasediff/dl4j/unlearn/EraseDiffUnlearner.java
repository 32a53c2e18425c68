package org.erasediff.dl4j.unlearn;

import java.io.IOException;
import java.util.Objects;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.loop.LoopResult;
import org.erasediff.dl4j.loop.LoopSettings;
import org.erasediff.dl4j.loop.RunOptions;
import org.erasediff.dl4j.loop.TrainingLoop;

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
    private final RunOptions.Holder options;

    private EraseDiffUnlearner(Builder b) {
        config = b.config;
        scheduleConfig = b.schedule();
        options = new RunOptions.Holder().optionsFrom(b);
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
        UnlearningStep step = config.mode() == EraseDiffConfig.Mode.REFERENCE_COMPATIBLE
                ? new ReferenceEraseDiffStep(config, scheduleConfig, split, model)
                : new FaithfulEraseDiffStep(config, scheduleConfig, split, model);
        LoopSettings settings = new LoopSettings(config.outerSteps(), config.updater(), null, config.clipNorm(),
                config.emaDecay(), config.emaWarmup(), config.nanPolicy(), config.parameters(), config.seed());
        LoopResult r = TrainingLoop.builder(model, step, settings).optionsFrom(options)
                .optEarlyStop(config.earlyStop()).build().run();
        return new UnlearningResult(r.model(), r.history(), r.provenance(), r.seconds(), r.setupSeconds(),
                r.stopReason());
    }

    /** Builder: the config is required; the schedule and the {@link RunOptions} optional. */
    public static final class Builder extends UnlearnerBuilder<Builder> {
        private final EraseDiffConfig config;

        private Builder(EraseDiffConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** Builds the unlearner. */
        public EraseDiffUnlearner build() {
            return new EraseDiffUnlearner(this);
        }
    }
}
