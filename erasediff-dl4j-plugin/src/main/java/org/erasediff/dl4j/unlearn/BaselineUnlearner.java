package org.erasediff.dl4j.unlearn;

import java.io.IOException;
import java.util.Objects;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.unlearn.BaselineConfig;
import org.erasediff.core.unlearn.BaselineMethod;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.loop.LoopResult;
import org.erasediff.dl4j.loop.RunOptions;
import org.erasediff.dl4j.loop.TrainingLoop;

/**
 * The baselines EraseDiff is compared with — Finetune, NegGrad, BlindSpot, Selective Amnesia,
 * SalUn and ESD ({@link BaselineMethod}) — behind the same {@link Unlearner} interface and on the
 * same {@link TrainingLoop}: the same listeners, checkpoints, exact resume, NaN policy and
 * provenance as EraseDiff. A method's preparation (SA's replay and Fisher, SalUn's mask,
 * BlindSpot's proxy) is timed apart, in {@link UnlearningResult#setupSeconds()}.
 */
public final class BaselineUnlearner implements Unlearner {

    private final BaselineConfig config;
    private final ScheduleConfig scheduleConfig;
    private final RunOptions.Holder options;

    private BaselineUnlearner(Builder b) {
        config = b.config;
        scheduleConfig = b.schedule();
        options = new RunOptions.Holder().optionsFrom(b);
    }

    /** Starts a builder with the required config. */
    public static Builder builder(BaselineConfig config) {
        return new Builder(config);
    }

    /** The config. */
    public BaselineConfig config() {
        return config;
    }

    @Override
    public UnlearningResult unlearn(DiffusionGraph model, ForgetRemainSplit split) throws IOException {
        LoopResult r = TrainingLoop.builder(model, step(model, split), BaselineStep.loopSettings(config))
                .optionsFrom(options).build().run();
        return new UnlearningResult(r.model(), r.history(), r.provenance(), r.seconds(), r.setupSeconds(),
                r.stopReason());
    }

    private BaselineStep step(DiffusionGraph model, ForgetRemainSplit split) {
        BaselineMethod m = config.method();
        if (m instanceof BaselineMethod.Finetune) {
            return new FinetuneStep(config, scheduleConfig, split);
        } else if (m instanceof BaselineMethod.NegGrad) {
            return new NegGradStep(config, scheduleConfig, split);
        } else if (m instanceof BaselineMethod.BlindSpot) {
            return new BlindSpotStep(config, scheduleConfig, split, model);
        } else if (m instanceof BaselineMethod.SelectiveAmnesia) {
            return new SelectiveAmnesiaStep(config, scheduleConfig, split, model);
        } else if (m instanceof BaselineMethod.SalUn) {
            if (!model.isConditional()) {
                throw new IllegalArgumentException("salun needs a conditional model (it relabels the forget set)");
            }
            return new SalUnStep(config, scheduleConfig, split, model.spec().numClasses());
        } else if (m instanceof BaselineMethod.Esd) {
            return new EsdStep(config, scheduleConfig, split, model);
        }
        throw new IllegalStateException("unknown baseline " + m);
    }

    /** Builder: the config is required; the schedule and the {@link RunOptions} optional. */
    public static final class Builder extends UnlearnerBuilder<Builder> {
        private final BaselineConfig config;

        private Builder(BaselineConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** Builds the unlearner. */
        public BaselineUnlearner build() {
            return new BaselineUnlearner(this);
        }
    }
}
