package org.erasediff.dl4j.unlearn;

import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.unlearn.BaselineConfig;
import org.erasediff.core.unlearn.ForgetTarget;
import org.erasediff.dl4j.loop.LoopSettings;

/**
 * What the baselines share beyond {@link UnlearningStep}: their {@link BaselineConfig} and
 * antithetic timesteps, as the authors' DDPM code draws them for every method.
 */
abstract class BaselineStep extends UnlearningStep {

    protected final BaselineConfig config;

    BaselineStep(BaselineConfig config, ScheduleConfig schedule, ForgetRemainSplit split, ForgetTarget target) {
        super(split, schedule, config.remainBatchSize(), config.forgetBatchSize(), target);
        this.config = config;
    }

    @Override
    public String name() {
        return config.method().name();
    }

    @Override
    String methodConfigJson() {
        return config.toJson();
    }

    @Override
    boolean antitheticTimesteps() {
        return true;
    }

    /** The loop's settings for a baseline config. */
    static LoopSettings loopSettings(BaselineConfig c) {
        return new LoopSettings(c.steps(), c.updater(), null, c.clipNorm(), c.emaDecay(), c.emaWarmup(), c.nanPolicy(),
                c.parameters(), c.seed());
    }

    /** The smallest label that occurs in the forget set. */
    static int firstForgottenLabel(ForgetRemainSplit split) {
        int c = Integer.MAX_VALUE;
        for (int i = 0; i < split.forget().size(); i++) {
            c = Math.min(c, split.forget().label(i));
        }
        return c;
    }
}
