package org.erasediff.dl4j.sweep;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
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
    private final ParameterSpace<Double> learningRate;
    private final ParameterSpace<Integer> steps;

    private BaselineSpace(Builder b) {
        base = b.base;
        learningRate = b.learningRate;
        steps = b.steps;
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
        double lr = learningRate.getValue(values);
        int n = steps.getValue(values);
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

    /** Builder: the base config is required; each {@code optX} sweeps one setting. */
    public static final class Builder {
        private final BaselineConfig base;
        private ParameterSpace<Double> learningRate;
        private ParameterSpace<Integer> steps;

        private Builder(BaselineConfig base) {
            this.base = Objects.requireNonNull(base, "base");
            double lr = base.updater().learningRate();
            learningRate = logUniform("learningRate", lr, lr);
            steps = integers("steps", base.steps(), base.steps(), 1);
        }

        /** The learning rate, log-uniform in {@code [min, max]}, {@code min > 0}. */
        public Builder optLearningRate(double min, double max) {
            learningRate = positiveLogUniform("learningRate", min, max);
            return this;
        }

        /** Steps uniform in {@code [min, max]}, {@code min >= 1}. */
        public Builder optSteps(int min, int max) {
            steps = integers("steps", min, max, 1);
            return this;
        }

        /** Builds the space. */
        public BaselineSpace build() {
            return new BaselineSpace(this);
        }
    }
}
