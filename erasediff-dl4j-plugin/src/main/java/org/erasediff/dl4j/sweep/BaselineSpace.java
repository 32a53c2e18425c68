package org.erasediff.dl4j.sweep;

import java.util.LinkedHashMap;
import java.util.Map;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.unlearn.BaselineConfig;
import org.erasediff.core.unlearn.BaselineMethod;
import org.erasediff.dl4j.graph.DiffusionGraph;

/**
 * Baseline candidates ({@link BaselineMethod}: Finetune, NegGrad, …): a base {@link BaselineConfig}
 * with its learning rate (log-uniform) and number of steps swept; the method's own
 * hyper-parameters and every other setting are the base config's.
 */
public final class BaselineSpace extends UnlearningSpace {

    private final BaselineConfig base;

    private BaselineSpace(Builder b) {
        super(b);
        base = b.base;
    }

    /**
     * Starts a space around a base config.
     *
     * @param base every setting a candidate does not sweep
     */
    public static Builder builder(BaselineConfig base) {
        return new Builder(base);
    }

    @Override
    public CandidateConfig getValue(double[] values) {
        double lr = learningRate(values);
        int n = steps(values);
        BaselineConfig c = new BaselineConfig(base.method(), n, base.updater().withLearningRate(lr), base.clipNorm(),
                base.emaDecay(), base.emaWarmup(), base.remainBatchSize(), base.forgetBatchSize(), base.seed(),
                base.nanPolicy(), base.parameters());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("lr", lr);
        p.put("steps", n);
        return new CandidateConfig.Baseline(c, p);
    }

    @Override
    public void validateFor(DiffusionGraph model, ForgetRemainSplit split) {
        if (base.method() instanceof BaselineMethod.SalUn && !model.isConditional()) {
            throw new IllegalArgumentException("method salun needs a conditional model (it relabels the forget set)");
        }
    }

    /** Builder: the base config is required; {@code optLearningRate} and {@code optSteps} sweep. */
    public static final class Builder extends UnlearningSpace.Builder<Builder> {
        private final BaselineConfig base;

        private Builder(BaselineConfig base) {
            super(base.updater().learningRate(), base.steps());
            this.base = base;
        }

        /** Builds the space. */
        public BaselineSpace build() {
            return new BaselineSpace(this);
        }
    }
}
