package org.erasediff.dl4j.unlearn;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.unlearn.BaselineConfig;
import org.erasediff.core.unlearn.BaselineMethod;
import org.erasediff.core.unlearn.ForgetTarget;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.loop.LoopState;
import org.erasediff.dl4j.loop.StepLosses;
import org.erasediff.dl4j.loop.TrainingLoop;

/**
 * BlindSpot: before the first step a proxy — the original model finetuned on the remaining data
 * for {@code proxySteps} steps, run on the same loop — is made; each step then regresses the
 * forget rows onto the proxy's prediction and the remain rows onto the true noise, the two losses
 * weighted by the sizes of the forget and remain sets.
 */
final class BlindSpotStep extends BaselineStep {

    private final DiffusionGraph original;
    private final double remainShare;
    private DiffusionGraph proxy;

    BlindSpotStep(BaselineConfig config, ScheduleConfig schedule, ForgetRemainSplit split, DiffusionGraph original) {
        super(config, schedule, split, ForgetTarget.shiftedGaussian(0.0));
        this.original = original;
        double nr = split.remain().size();
        this.remainShare = nr / (nr + split.forget().size());
    }

    @Override
    public void prepare(LoopState state) {
        super.prepare(state);
        BaselineMethod.BlindSpot m = (BaselineMethod.BlindSpot) config.method();
        BaselineConfig proxyConfig = BaselineConfig.builder(new BaselineMethod.Finetune()).optSteps(m.proxySteps())
                .optUpdater(config.updater()).optClipNorm(config.clipNorm()).optEmaDecay(config.emaDecay())
                .optEmaWarmup(config.emaWarmup()).optRemainBatchSize(config.remainBatchSize())
                .optForgetBatchSize(config.forgetBatchSize()).optSeed(config.seed() + 1)
                .optNanPolicy(config.nanPolicy()).optParameters(config.parameters()).build();
        try {
            proxy = TrainingLoop.builder(original, new FinetuneStep(proxyConfig, scheduleConfig, split),
                    loopSettings(proxyConfig)).build().run().model();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void drawBatch(int step, LoopState state) {
        super.drawBatch(step, state);
        UnlearningBatches.Rows f = batches.forgetRows;
        f.target.assign(proxy.predictNoise(f.xt, f.timesteps, f.labels));
    }

    @Override
    public StepLosses computeDirection(int step, LoopState state) {
        StackedLosses l = stackedPass(state, remainShare, 1.0 - remainShare);
        return new StepLosses(remainShare * l.remain() + (1 - remainShare) * l.forget(), l.remain(), l.forget(),
                Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN);
    }
}
