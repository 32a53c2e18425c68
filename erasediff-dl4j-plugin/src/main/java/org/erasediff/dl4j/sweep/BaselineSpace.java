package org.erasediff.dl4j.sweep;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.unlearn.BaselineConfig;
import org.erasediff.core.unlearn.BaselineMethod;
import org.erasediff.dl4j.graph.DiffusionGraph;

/**
 * Baseline candidates ({@link BaselineMethod}: Finetune, NegGrad, …): a base {@link BaselineConfig}
 * with its learning rate (log-uniform), number of steps and, for a method that has one, its own
 * weight ({@link BaselineMethod#weightName()}: Selective Amnesia's λ, SalUn's α, ESD's η;
 * log-uniform) swept; the method's other hyper-parameters and every other setting are the base
 * config's.
 */
public final class BaselineSpace extends UnlearningSpace {

    private final BaselineConfig base;
    /** The method's weight, or null when it is not swept. */
    private final ParameterSpace<Double> weight;

    private BaselineSpace(Builder b) {
        super(b);
        base = b.base;
        weight = b.weight;
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
        BaselineMethod method = base.method();
        Map<String, Object> p = new LinkedHashMap<>();
        if (weight != null) {
            double w = weight.getValue(values);
            method = method.withWeight(w);
            p.put(method.weightName().orElseThrow(), w);
        }
        BaselineConfig c = new BaselineConfig(method, n, base.updater().withLearningRate(lr), base.clipNorm(),
                base.emaDecay(), base.emaWarmup(), base.remainBatchSize(), base.forgetBatchSize(), base.seed(),
                base.nanPolicy(), base.parameters());
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

    /**
     * Builder: the base config is required; {@code optLearningRate}, {@code optSteps} and
     * {@code optWeight} sweep.
     */
    public static final class Builder extends UnlearningSpace.Builder<Builder> {
        private final BaselineConfig base;
        private ParameterSpace<Double> weight;

        private Builder(BaselineConfig base) {
            super(base.updater().learningRate(), base.steps());
            this.base = base;
        }

        /**
         * Sweeps the method's own weight ({@link BaselineMethod#weightName()}) log-uniformly in
         * {@code [min, max]}; min = max fixes it at that value.
         *
         * @throws IllegalArgumentException if the method has no weight, or the range is invalid or
         *                                  outside the weight's own range (naming the weight)
         */
        public Builder optWeight(double min, double max) {
            String name = base.method().weightName().orElseThrow(() -> new IllegalArgumentException(
                    "method " + base.method().name() + " has no weight to sweep (only sa, salun and esd have one)"));
            String label = base.method().name() + " " + name;
            ParameterSpace<Double> space = logUniform(label, min, max);
            for (double v : new double[] {min, max}) {
                try {
                    base.method().withWeight(v);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(label + ": " + e.getMessage(), e);
                }
            }
            weight = space;
            return this;
        }

        /** Builds the space. */
        public BaselineSpace build() {
            return new BaselineSpace(this);
        }
    }
}
