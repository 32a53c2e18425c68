package org.erasediff.dl4j.sweep;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.core.unlearn.ForgetTarget;
import org.erasediff.core.unlearn.LambdaRule;
import org.erasediff.dl4j.graph.DiffusionGraph;

/**
 * EraseDiff candidates: a base {@link EraseDiffConfig} with up to seven of its settings swept —
 * λ (log-uniform; for a rule other than FIXED it is the rule's η), the λ rule, K (inner steps), ξ
 * (inner step size, log-uniform), the outer learning rate (log-uniform), the number of outer steps
 * and the forget target. Every setting not given keeps the base config's value; everything else
 * (batch sizes, seed, EMA, clipping, …) is the base config's, so candidates differ only in what is
 * swept and share the base seed.
 *
 * <p>K and ξ only act when q is used (the VALUE_GAP rule, {@code monitorQ}); a space that sweeps
 * them without VALUE_GAP among its rules is refused, since its candidates would differ in nothing.
 */
public final class EraseDiffSpace extends UnlearningSpace {

    /** Names of the rules, as {@code optLambdaRules} takes them. */
    public static final List<String> RULES = List.of("FIXED", "BOME_RATIO", "VALUE_GAP", "REFERENCE_COSINE");

    private final EraseDiffConfig base;
    private final ParameterSpace<Double> lambda;
    private final ParameterSpace<String> lambdaRule;
    private final ParameterSpace<Integer> innerSteps;
    private final ParameterSpace<Double> innerStepSize;
    private final ParameterSpace<ForgetTarget> forgetTarget;
    private final List<ForgetTarget> targets;

    private EraseDiffSpace(Builder b) {
        super(b);
        base = b.base;
        lambda = b.lambda;
        lambdaRule = b.lambdaRule;
        innerSteps = b.innerSteps;
        innerStepSize = b.innerStepSize;
        forgetTarget = b.forgetTarget;
        targets = b.targets;
    }

    /**
     * Starts a space around a base config.
     *
     * @param base every setting a candidate does not sweep
     */
    public static Builder builder(EraseDiffConfig base) {
        return new Builder(base);
    }

    @Override
    public CandidateConfig getValue(double[] values) {
        double l = lambda.getValue(values);
        String rule = lambdaRule.getValue(values);
        int k = innerSteps.getValue(values);
        double xi = innerStepSize.getValue(values);
        double lr = learningRate(values);
        int n = steps(values);
        ForgetTarget target = forgetTarget.getValue(values);
        EraseDiffConfig c = base.toBuilder().optLambdaRule(rule(rule, l)).optInnerSteps(k).optInnerStepSize(xi)
                .optUpdater(base.updater().withLearningRate(lr)).optOuterSteps(n).optForgetTarget(target).build();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("lambda", l);
        p.put("lambda_rule", rule);
        p.put("inner_steps", k);
        p.put("inner_step_size", xi);
        p.put("lr", lr);
        p.put("steps", n);
        p.put("target", label(target));
        return new CandidateConfig.EraseDiff(c, p);
    }

    @Override
    public void validateFor(DiffusionGraph model, ForgetRemainSplit split) {
        for (ForgetTarget t : targets) {
            if (!(t instanceof ForgetTarget.PseudoLabel pl)) {
                continue;
            }
            if (!model.isConditional()) {
                throw new IllegalArgumentException("forgetTarget " + label(t) + " needs a conditional model");
            }
            int classes = model.spec().numClasses();
            boolean[] forgotten = new boolean[classes];
            for (int c : split.forgetClasses()) {
                if (c < classes) {
                    forgotten[c] = true;
                }
            }
            try {
                pl.checkAgainst(forgotten, classes);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("forgetTarget " + label(t) + ": " + e.getMessage(), e);
            }
        }
    }

    private static LambdaRule rule(String name, double value) {
        return switch (name) {
            case "FIXED" -> LambdaRule.fixed(value);
            case "BOME_RATIO" -> LambdaRule.bomeRatio(value);
            case "VALUE_GAP" -> LambdaRule.valueGap(value);
            case "REFERENCE_COSINE" -> LambdaRule.referenceCosine(value);
            default -> throw new IllegalArgumentException("lambdaRule: unknown rule '" + name + "', use one of "
                    + RULES);
        };
    }

    private static String ruleName(LambdaRule r) {
        if (r instanceof LambdaRule.Fixed) {
            return "FIXED";
        } else if (r instanceof LambdaRule.BomeRatio) {
            return "BOME_RATIO";
        } else if (r instanceof LambdaRule.ValueGap) {
            return "VALUE_GAP";
        }
        return "REFERENCE_COSINE";
    }

    private static double ruleValue(LambdaRule r) {
        if (r instanceof LambdaRule.Fixed f) {
            return f.lambda();
        } else if (r instanceof LambdaRule.BomeRatio b) {
            return b.eta();
        } else if (r instanceof LambdaRule.ValueGap v) {
            return v.eta();
        }
        return ((LambdaRule.ReferenceCosine) r).eta();
    }

    /**
     * A forget target's short name, as the command line writes it: {@code uniform},
     * {@code shifted:<μ>}, {@code class:<c>}, {@code anchor:<c>}, {@code random-other},
     * {@code random-other-per-sample}, {@code remain:<t_min>}, {@code remain:<t_min>:<pool>},
     * {@code remain:<t_min>:<pool>:<temperature>}, {@code remain-same-class:<t_min>:<pool>}.
     */
    static String label(ForgetTarget t) {
        if (t instanceof ForgetTarget.ShiftedGaussian g) {
            return "shifted:" + g.mean();
        } else if (t instanceof ForgetTarget.RemainPosterior r) {
            if (r.sameClass()) {
                return "remain-same-class:" + r.minTimestep() + ":" + r.pool();
            }
            return "remain:" + r.minTimestep() + (r.temperature() != 1 ? ":" + r.pool() + ":" + r.temperature()
                    : r.pool() > 0 ? ":" + r.pool() : "");
        } else if (t instanceof ForgetTarget.PseudoLabel p) {
            return switch (p.mode()) {
                case FIXED_CLASS -> "class:" + p.label();
                case ANCHOR_LABEL -> "anchor:" + p.label();
                case RANDOM_OTHER_CLASS -> "random-other";
                case RANDOM_OTHER_CLASS_PER_SAMPLE -> "random-other-per-sample";
            };
        }
        return "uniform";
    }

    /** Builder: the base config is required; each {@code optX} sweeps one setting. */
    public static final class Builder extends UnlearningSpace.Builder<Builder> {
        private final EraseDiffConfig base;
        private ParameterSpace<Double> lambda;
        private ParameterSpace<String> lambdaRule;
        private ParameterSpace<Integer> innerSteps;
        private ParameterSpace<Double> innerStepSize;
        private ParameterSpace<ForgetTarget> forgetTarget;
        private List<String> rules;
        private List<ForgetTarget> targets;
        private int minInnerSteps;
        private boolean innerSwept;

        private Builder(EraseDiffConfig base) {
            super(base.updater().learningRate(), base.outerSteps());
            this.base = base;
            double l = ruleValue(base.lambdaRule());
            lambda = logUniform("lambda", l, l);
            rules = List.of(ruleName(base.lambdaRule()));
            lambdaRule = choice("lambdaRule", rules);
            minInnerSteps = base.innerSteps();
            innerSteps = integers("innerSteps", minInnerSteps, minInnerSteps, 0);
            innerStepSize = logUniform("innerStepSize", base.innerStepSize(), base.innerStepSize());
            targets = List.of(base.forgetTarget());
            forgetTarget = choice("forgetTarget", targets);
        }

        /** λ log-uniform in {@code [min, max]} (η for rules other than FIXED), {@code min >= 0}; min = max fixes it. */
        public Builder optLambda(double min, double max) {
            lambda = logUniform("lambda", min, max);
            return this;
        }

        /** The λ rules to choose from: FIXED, BOME_RATIO, VALUE_GAP, REFERENCE_COSINE (any case). */
        public Builder optLambdaRules(List<String> names) {
            if (names == null || names.isEmpty()) {
                throw new IllegalArgumentException("lambdaRule: no rule to choose from (empty list)");
            }
            List<String> upper = names.stream().map(n -> n == null ? "" : n.trim().toUpperCase(Locale.ROOT)).toList();
            for (int i = 0; i < upper.size(); i++) {
                if (!RULES.contains(upper.get(i))) {
                    throw new IllegalArgumentException("lambdaRule: unknown rule '" + names.get(i) + "', use one of "
                            + RULES);
                }
            }
            rules = upper;
            lambdaRule = choice("lambdaRule", upper);
            return this;
        }

        /** K uniform in {@code [min, max]}, {@code min >= 0}; a range needs the VALUE_GAP rule among the rules. */
        public Builder optInnerSteps(int min, int max) {
            innerSteps = integers("innerSteps", min, max, 0);
            minInnerSteps = min;
            innerSwept |= min != max;
            return this;
        }

        /** ξ log-uniform in {@code [min, max]}, {@code min > 0}; a range needs the VALUE_GAP rule among the rules. */
        public Builder optInnerStepSize(double min, double max) {
            innerStepSize = positiveLogUniform("innerStepSize", min, max);
            innerSwept |= min != max;
            return this;
        }

        /** The forget targets to choose from. */
        public Builder optForgetTargets(List<ForgetTarget> targets) {
            forgetTarget = choice("forgetTarget", targets);
            this.targets = List.copyOf(targets);
            return this;
        }

        /** As {@link #optForgetTargets(List)}. */
        public Builder optForgetTargets(ForgetTarget... targets) {
            return optForgetTargets(Arrays.asList(targets));
        }

        /**
         * Builds the space.
         *
         * @throws IllegalArgumentException if the settings cannot give valid candidates (naming the parameter)
         */
        public EraseDiffSpace build() {
            boolean needsQ = rules.contains("VALUE_GAP") || base.monitorQ();
            if (innerSwept && (!needsQ || base.mode() == EraseDiffConfig.Mode.REFERENCE_COMPATIBLE)) {
                throw new IllegalArgumentException("innerSteps / innerStepSize are swept but change nothing here: only "
                        + "the VALUE_GAP rule (or monitorQ) in FAITHFUL mode uses the inner loop, the rules are " + rules);
            }
            if (needsQ && base.mode() == EraseDiffConfig.Mode.FAITHFUL && minInnerSteps < 1) {
                throw new IllegalArgumentException("innerSteps must be >= 1 when q is used (lambdaRule VALUE_GAP or "
                        + "monitorQ), was " + minInnerSteps);
            }
            if (base.mode() == EraseDiffConfig.Mode.REFERENCE_COMPATIBLE && !rules.equals(List.of("FIXED"))) {
                throw new IllegalArgumentException("lambdaRule must be FIXED in REFERENCE_COMPATIBLE mode, was "
                        + rules);
            }
            return new EraseDiffSpace(this);
        }
    }
}
