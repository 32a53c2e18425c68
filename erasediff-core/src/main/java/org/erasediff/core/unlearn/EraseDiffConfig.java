package org.erasediff.core.unlearn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.erasediff.core.optim.NanPolicy;
import org.erasediff.core.optim.ParameterSelection;
import org.erasediff.core.optim.UpdaterSettings;

/**
 * Every setting of one EraseDiff unlearning run. Immutable and validated on construction; build it
 * with {@link #builder()} (all fields are optional, with the defaults below) and store it as JSON
 * with {@link #toJson()} / {@link #fromJson(String)} (absent JSON fields take the defaults,
 * unknown ones are rejected).
 *
 * <table>
 *   <caption>Fields and defaults</caption>
 *   <tr><th>field</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>mode</td><td>FAITHFUL</td><td>{@link Mode}</td></tr>
 *   <tr><td>outerSteps</td><td>200</td><td>outer updates of θ, {@code >= 1}</td></tr>
 *   <tr><td>updater</td><td>Adam, lr 1e-4, β 0.9/0.999, ε 1e-8</td><td>the outer optimiser</td></tr>
 *   <tr><td>innerSteps</td><td>2</td><td>FAITHFUL: K gradient-descent steps on f from a copy of θ
 *       giving θ_K and q = f(θ) − f(θ_K), {@code >= 0}</td></tr>
 *   <tr><td>innerStepSize</td><td>0.01</td><td>FAITHFUL: ξ of those steps, {@code > 0}</td></tr>
 *   <tr><td>lambdaRule</td><td>FIXED 0.1</td><td>{@link LambdaRule}</td></tr>
 *   <tr><td>forgetTarget</td><td>UNIFORM</td><td>{@link ForgetTarget}</td></tr>
 *   <tr><td>remainOriginalWeight</td><td>1</td><td>with a remain target that uses the original model: the
 *       weight w of its prediction in the remain rows' target w·ε_θ* + (1 − w)·ε (ε the drawn noise), in
 *       (0, 1]; 1 with NOISE; left out of the JSON when 1</td></tr>
 *   <tr><td>remainTarget</td><td>NOISE</td><td>{@link RemainTarget}: the drawn noise (the paper's L_r),
 *       the original model's prediction, or that without the forget data's share; left out of the JSON
 *       when NOISE</td></tr>
 *   <tr><td>clipNorm</td><td>1.0</td><td>global gradient-norm clip, {@code > 0}; {@code 0}
 *       disables clipping</td></tr>
 *   <tr><td>emaDecay</td><td>0.99</td><td>EMA of the parameters, in {@code [0, 1)}; {@code 0}
 *       disables the EMA (the average would equal the parameters)</td></tr>
 *   <tr><td>emaWarmup</td><td>true</td><td>warm the EMA decay up as min(d, (1+n)/(10+n)) so the
 *       returned average holds none of the pre-unlearning weights (without it, 0.99^200 ≈ 13 % of
 *       it would)</td></tr>
 *   <tr><td>remainBatchSize, forgetBatchSize</td><td>128, 128</td><td>batch sizes (the paper's),
 *       {@code >= 1}</td></tr>
 *   <tr><td>seed</td><td>0</td><td>the run's single seed, split by
 *       {@link org.erasediff.core.util.RngStreams}</td></tr>
 *   <tr><td>monitorQ</td><td>false</td><td>FAITHFUL: compute q every step even when the λ rule
 *       does not need it (costs the inner loop). REFERENCE_COMPATIBLE always reports the round's
 *       constant c and q = L_f − c, so the flag is rejected there</td></tr>
 *   <tr><td>referenceInnerEpochs</td><td>2</td><td>REFERENCE_COMPATIBLE: K epochs of the shared
 *       optimiser on L_f over the forget set per round, {@code >= 0}</td></tr>
 *   <tr><td>referenceOuterStepsPerRound</td><td>10</td><td>REFERENCE_COMPATIBLE: outer steps per
 *       round, {@code >= 1} (the paper's 200 steps = 20 rounds of 10)</td></tr>
 *   <tr><td>nanPolicy</td><td>3 retries, back-off 0.5</td><td>{@link NanPolicy}</td></tr>
 *   <tr><td>parameters</td><td>all</td><td>trainable parameters, {@link ParameterSelection}</td></tr>
 *   <tr><td>earlyStop</td><td>none ({@code null})</td><td>{@link EarlyStopSettings}</td></tr>
 * </table>
 *
 * <p>Default inner step size: a plain gradient step lowers f by about ξ‖∇f‖², and gradients are
 * clipped to norm ≤ 1 by default, so ξ = 0.01 makes q of order 0.01 after K = 2 steps — large
 * enough to measure above minibatch noise on the same forget batch, small enough that θ_K stays
 * near θ. It matters only when q is used (VALUE_GAP, monitorQ, a CONSTRAINT_GAP early stop).
 *
 * @param mode                        the update scheme
 * @param outerSteps                  outer updates, {@code >= 1}
 * @param updater                     the outer optimiser's settings
 * @param innerSteps                  K (FAITHFUL), {@code >= 0}
 * @param innerStepSize               ξ (FAITHFUL), {@code > 0}
 * @param lambdaRule                  how λ is chosen
 * @param forgetTarget                what L_f regresses onto
 * @param remainTarget                what L_r regresses onto
 * @param remainOriginalWeight        the original's weight in the remain target, in (0, 1]
 * @param clipNorm                    global clip norm, {@code > 0}, or {@code 0} for none
 * @param emaDecay                    EMA decay in {@code [0, 1)}, {@code 0} for none
 * @param emaWarmup                   whether the EMA decay warms up
 * @param remainBatchSize             remain batch size, {@code >= 1}
 * @param forgetBatchSize             forget batch size, {@code >= 1}
 * @param seed                        the run seed
 * @param monitorQ                    compute q even when λ does not need it
 * @param referenceInnerEpochs        inner epochs per round (REFERENCE_COMPATIBLE), {@code >= 0}
 * @param referenceOuterStepsPerRound outer steps per round (REFERENCE_COMPATIBLE), {@code >= 1}
 * @param nanPolicy                   what to do on NaN
 * @param parameters                  which parameters are trained
 * @param earlyStop                   early stopping, or {@code null} for none
 */
@JsonDeserialize(builder = EraseDiffConfig.Builder.class)
public record EraseDiffConfig(
        Mode mode,
        int outerSteps,
        UpdaterSettings updater,
        int innerSteps,
        double innerStepSize,
        LambdaRule lambdaRule,
        ForgetTarget forgetTarget,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = NoiseRemainTarget.class)
        RemainTarget remainTarget,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = UnitValue.class)
        double remainOriginalWeight,
        double clipNorm,
        double emaDecay,
        boolean emaWarmup,
        int remainBatchSize,
        int forgetBatchSize,
        long seed,
        boolean monitorQ,
        int referenceInnerEpochs,
        int referenceOuterStepsPerRound,
        NanPolicy nanPolicy,
        ParameterSelection parameters,
        EarlyStopSettings earlyStop) {

    /** Default number of outer steps. */
    public static final int DEFAULT_OUTER_STEPS = 200;
    /** Default K. */
    public static final int DEFAULT_INNER_STEPS = 2;
    /** Default ξ. */
    public static final double DEFAULT_INNER_STEP_SIZE = 0.01;
    /** Default global clip norm. */
    public static final double DEFAULT_CLIP_NORM = 1.0;
    /** Default EMA decay. */
    public static final double DEFAULT_EMA_DECAY = 0.99;
    /** Default EMA warm-up. */
    public static final boolean DEFAULT_EMA_WARMUP = true;
    /** Default batch size (remain and forget). */
    public static final int DEFAULT_BATCH_SIZE = 128;
    /** Default seed. */
    public static final long DEFAULT_SEED = 0L;
    /** Default inner epochs per round in REFERENCE_COMPATIBLE mode. */
    public static final int DEFAULT_REFERENCE_INNER_EPOCHS = 2;
    /** Default outer steps per round in REFERENCE_COMPATIBLE mode. */
    public static final int DEFAULT_REFERENCE_OUTER_STEPS_PER_ROUND = 10;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The two update schemes. */
    public enum Mode {
        /**
         * The paper's update: per outer step, K plain gradient-descent steps of size ξ on f from a
         * copy of θ (only when q is needed), then θ moves along δ = ∇F + λ∇q through the outer
         * optimiser, whose state the inner loop never touches.
         */
        FAITHFUL,
        /**
         * The authors' code path: per round, save θ, run {@code referenceInnerEpochs} epochs of the
         * one shared optimiser on L_f over the forget set, record the last epoch's mean loss c,
         * restore θ (not the optimiser's moments), then take {@code referenceOuterStepsPerRound}
         * steps on L_r + λ·(L_f − c).
         */
        REFERENCE_COMPATIBLE
    }

    /**
     * Validates every field and the combinations between them.
     *
     * @throws IllegalArgumentException naming the first field outside its allowed range
     */
    public EraseDiffConfig {
        requireNonNull(mode, "mode", "FAITHFUL or REFERENCE_COMPATIBLE");
        requireAtLeast(outerSteps, 1, "outerSteps");
        requireNonNull(updater, "updater", "updater settings");
        requireAtLeast(innerSteps, 0, "innerSteps");
        if (!(innerStepSize > 0.0) || !Double.isFinite(innerStepSize)) {
            throw new IllegalArgumentException("innerStepSize must be > 0 and finite, was " + innerStepSize);
        }
        requireNonNull(lambdaRule, "lambdaRule", "a LambdaRule (FIXED, BOME_RATIO, VALUE_GAP, REFERENCE_COSINE)");
        requireNonNull(forgetTarget, "forgetTarget", "a ForgetTarget (UNIFORM, PSEUDO_LABEL, SHIFTED_GAUSSIAN)");
        requireNonNull(remainTarget, "remainTarget", "NOISE, ORIGINAL or ORIGINAL_WITHOUT_FORGET");
        if (!(remainOriginalWeight > 0 && remainOriginalWeight <= 1)) {
            throw new IllegalArgumentException("remainOriginalWeight must be in (0, 1], was " + remainOriginalWeight);
        }
        if (remainOriginalWeight != 1 && !remainTarget.usesOriginal()) {
            throw new IllegalArgumentException("remainOriginalWeight weighs the original model's prediction, which remain"
                    + " target NOISE does not use: leave it at 1 or choose ORIGINAL, was " + remainOriginalWeight);
        }
        if (!(clipNorm >= 0.0) || !Double.isFinite(clipNorm)) {
            throw new IllegalArgumentException("clipNorm must be > 0 (or 0 to disable clipping) and finite, was "
                    + clipNorm);
        }
        if (!(emaDecay >= 0.0 && emaDecay < 1.0)) {
            throw new IllegalArgumentException("emaDecay must be in [0, 1) (0 disables the EMA), was " + emaDecay);
        }
        requireAtLeast(remainBatchSize, 1, "remainBatchSize");
        requireAtLeast(forgetBatchSize, 1, "forgetBatchSize");
        requireAtLeast(referenceInnerEpochs, 0, "referenceInnerEpochs");
        requireAtLeast(referenceOuterStepsPerRound, 1, "referenceOuterStepsPerRound");
        requireNonNull(nanPolicy, "nanPolicy", "a NanPolicy");
        requireNonNull(parameters, "parameters", "a ParameterSelection (ParameterSelection.all() for all)");
        if (mode == Mode.REFERENCE_COMPATIBLE && !(lambdaRule instanceof LambdaRule.Fixed)) {
            throw new IllegalArgumentException("lambdaRule must be FIXED in REFERENCE_COMPATIBLE mode (the authors' "
                    + "weighted sum), was " + lambdaRule);
        }
        if (monitorQ && mode == Mode.REFERENCE_COMPATIBLE) {
            throw new IllegalArgumentException("monitorQ applies to FAITHFUL mode only: REFERENCE_COMPATIBLE always "
                    + "reports the round's constant c and q = L_f - c; leave monitorQ false");
        }
        if (earlyStop != null && earlyStop.metric() == EarlyStopSettings.Metric.CONSTRAINT_GAP) {
            if (mode == Mode.REFERENCE_COMPATIBLE && referenceInnerEpochs == 0) {
                throw new IllegalArgumentException("earlyStop.metric CONSTRAINT_GAP needs q: REFERENCE_COMPATIBLE "
                        + "measures it only with referenceInnerEpochs >= 1, was 0");
            }
            if (mode == Mode.FAITHFUL && !lambdaRule.needsConstraintValue() && !monitorQ) {
                throw new IllegalArgumentException("earlyStop.metric CONSTRAINT_GAP needs q every step: set monitorQ "
                        + "or use the VALUE_GAP lambda rule, found lambdaRule " + lambdaRule + " and monitorQ false");
            }
        }
        boolean needsQ = lambdaRule.needsConstraintValue() || monitorQ;
        String why = lambdaRule.needsConstraintValue() ? "lambdaRule " + lambdaRule + " uses q" : "monitorQ is set";
        if (needsQ && mode == Mode.FAITHFUL && innerSteps == 0) {
            throw new IllegalArgumentException("innerSteps must be >= 1 when q is needed (" + why
                    + ") in FAITHFUL mode, was 0");
        }
        if (needsQ && mode == Mode.REFERENCE_COMPATIBLE && referenceInnerEpochs == 0) {
            throw new IllegalArgumentException("referenceInnerEpochs must be >= 1 when q is needed (" + why
                    + ") in REFERENCE_COMPATIBLE mode, was 0");
        }
    }

    /** A builder holding every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised with this configuration's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The configuration with every default. */
    public static EraseDiffConfig defaults() {
        return builder().build();
    }

    /**
     * Whether gradients are clipped ({@code clipNorm > 0}).
     *
     * @return {@code true} if clipping is on
     */
    public boolean clipsGradients() {
        return clipNorm > 0.0;
    }

    /**
     * Whether an EMA of the parameters is kept ({@code emaDecay > 0}).
     *
     * @return {@code true} if the EMA is on
     */
    public boolean keepsEma() {
        return emaDecay > 0.0;
    }

    /**
     * Whether the inner loop must run at all. In REFERENCE_COMPATIBLE mode it runs whenever
     * {@code referenceInnerEpochs > 0}, because it changes the shared optimiser's state. In FAITHFUL
     * mode its only product is q, so it runs only when q is used: by the VALUE_GAP rule, by
     * {@code monitorQ}, or by a CONSTRAINT_GAP early stop (which requires one of the other two).
     *
     * @return {@code true} if the optimiser has to run the inner loop
     */
    public boolean runsInnerLoop() {
        if (mode == Mode.REFERENCE_COMPATIBLE) {
            return referenceInnerEpochs > 0;
        }
        return lambdaRule.needsConstraintValue() || monitorQ;
    }

    /**
     * This configuration as indented JSON.
     *
     * @return the JSON text
     */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the configuration as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads a configuration from JSON; absent fields take their defaults.
     *
     * @param json the JSON text
     * @return the validated configuration
     * @throws IllegalArgumentException if the text is not valid JSON, has an unknown field, or a
     *                                  value is out of range (the message names the field)
     */
    public static EraseDiffConfig fromJson(String json) {
        try {
            return JSON.readValue(json, EraseDiffConfig.class);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException iae) {
                throw new IllegalArgumentException(iae.getMessage(), e);
            }
            throw new IllegalArgumentException("invalid EraseDiff configuration: " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid EraseDiff configuration JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void requireAtLeast(int value, int min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
        }
    }

    private static void requireNonNull(Object value, String name, String expected) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must be " + expected + ", was null");
        }
    }

    /**
     * Builds an {@link EraseDiffConfig}. Starts from every default; each {@code optX} overrides one
     * field; {@link #build()} validates. Also the JSON reader's builder (field {@code x} maps to
     * {@code optX}).
     */
    @JsonPOJOBuilder(withPrefix = "opt", buildMethodName = "build")
    public static final class Builder {
        private Mode mode = Mode.FAITHFUL;
        private int outerSteps = DEFAULT_OUTER_STEPS;
        private UpdaterSettings updater = UpdaterSettings.defaults();
        private int innerSteps = DEFAULT_INNER_STEPS;
        private double innerStepSize = DEFAULT_INNER_STEP_SIZE;
        private LambdaRule lambdaRule = LambdaRule.defaultRule();
        private ForgetTarget forgetTarget = ForgetTarget.uniform();
        private RemainTarget remainTarget = RemainTarget.NOISE;
        private double remainOriginalWeight = 1.0;
        private double clipNorm = DEFAULT_CLIP_NORM;
        private double emaDecay = DEFAULT_EMA_DECAY;
        private boolean emaWarmup = DEFAULT_EMA_WARMUP;
        private int remainBatchSize = DEFAULT_BATCH_SIZE;
        private int forgetBatchSize = DEFAULT_BATCH_SIZE;
        private long seed = DEFAULT_SEED;
        private boolean monitorQ;
        private int referenceInnerEpochs = DEFAULT_REFERENCE_INNER_EPOCHS;
        private int referenceOuterStepsPerRound = DEFAULT_REFERENCE_OUTER_STEPS_PER_ROUND;
        private NanPolicy nanPolicy = NanPolicy.defaults();
        private ParameterSelection parameters = ParameterSelection.all();
        private EarlyStopSettings earlyStop;

        /** A builder with every default. */
        public Builder() {
        }

        private Builder(EraseDiffConfig c) {
            mode = c.mode;
            outerSteps = c.outerSteps;
            updater = c.updater;
            innerSteps = c.innerSteps;
            innerStepSize = c.innerStepSize;
            lambdaRule = c.lambdaRule;
            forgetTarget = c.forgetTarget;
            remainTarget = c.remainTarget;
            remainOriginalWeight = c.remainOriginalWeight;
            clipNorm = c.clipNorm;
            emaDecay = c.emaDecay;
            emaWarmup = c.emaWarmup;
            remainBatchSize = c.remainBatchSize;
            forgetBatchSize = c.forgetBatchSize;
            seed = c.seed;
            monitorQ = c.monitorQ;
            referenceInnerEpochs = c.referenceInnerEpochs;
            referenceOuterStepsPerRound = c.referenceOuterStepsPerRound;
            nanPolicy = c.nanPolicy;
            parameters = c.parameters;
            earlyStop = c.earlyStop;
        }

        /**
         * Sets the update scheme (default FAITHFUL).
         *
         * @param v the mode
         * @return this builder
         */
        public Builder optMode(Mode v) {
            mode = v;
            return this;
        }

        /**
         * Sets the number of outer steps (default 200).
         *
         * @param v steps, {@code >= 1}
         * @return this builder
         */
        public Builder optOuterSteps(int v) {
            outerSteps = v;
            return this;
        }

        /**
         * Sets the outer optimiser (default Adam 1e-4).
         *
         * @param v the settings
         * @return this builder
         */
        public Builder optUpdater(UpdaterSettings v) {
            updater = v;
            return this;
        }

        /**
         * Sets K, the inner steps (default 2).
         *
         * @param v K, {@code >= 0}
         * @return this builder
         */
        public Builder optInnerSteps(int v) {
            innerSteps = v;
            return this;
        }

        /**
         * Sets ξ, the inner step size (default 0.01).
         *
         * @param v ξ, {@code > 0}
         * @return this builder
         */
        public Builder optInnerStepSize(double v) {
            innerStepSize = v;
            return this;
        }

        /**
         * Sets the λ rule (default FIXED 0.1).
         *
         * @param v the rule
         * @return this builder
         */
        public Builder optLambdaRule(LambdaRule v) {
            lambdaRule = v;
            return this;
        }

        /**
         * Sets the forgetting target (default UNIFORM).
         *
         * @param v the target
         * @return this builder
         */
        public Builder optForgetTarget(ForgetTarget v) {
            forgetTarget = v;
            return this;
        }

        /**
         * Sets what the remain loss regresses onto (default NOISE, the paper's).
         *
         * @param v the remain target
         * @return this builder
         */
        public Builder optRemainTarget(RemainTarget v) {
            remainTarget = v;
            return this;
        }

        /**
         * Sets the weight of the original model's prediction in the remain target (default 1: the
         * prediction alone; below 1 the rest is the drawn noise).
         *
         * @param v the weight, in (0, 1]
         * @return this builder
         */
        public Builder optRemainOriginalWeight(double v) {
            remainOriginalWeight = v;
            return this;
        }

        /**
         * Sets the clip norm (default 1.0; 0 disables).
         *
         * @param v the norm, {@code >= 0}
         * @return this builder
         */
        public Builder optClipNorm(double v) {
            clipNorm = v;
            return this;
        }

        /**
         * Sets the EMA decay (default 0.99; 0 disables).
         *
         * @param v decay in {@code [0, 1)}
         * @return this builder
         */
        public Builder optEmaDecay(double v) {
            emaDecay = v;
            return this;
        }

        /**
         * Sets whether the EMA decay warms up as min(d, (1+n)/(10+n)) (default true).
         *
         * @param v the flag
         * @return this builder
         */
        public Builder optEmaWarmup(boolean v) {
            emaWarmup = v;
            return this;
        }

        /**
         * Sets the remain batch size (default 128).
         *
         * @param v size, {@code >= 1}
         * @return this builder
         */
        public Builder optRemainBatchSize(int v) {
            remainBatchSize = v;
            return this;
        }

        /**
         * Sets the forget batch size (default 128).
         *
         * @param v size, {@code >= 1}
         * @return this builder
         */
        public Builder optForgetBatchSize(int v) {
            forgetBatchSize = v;
            return this;
        }

        /**
         * Sets the run seed (default 0).
         *
         * @param v the seed
         * @return this builder
         */
        public Builder optSeed(long v) {
            seed = v;
            return this;
        }

        /**
         * Sets whether q is computed every step (default false).
         *
         * @param v the flag
         * @return this builder
         */
        public Builder optMonitorQ(boolean v) {
            monitorQ = v;
            return this;
        }

        /**
         * Sets the inner epochs per round, REFERENCE_COMPATIBLE (default 2).
         *
         * @param v {@code >= 0}
         * @return this builder
         */
        public Builder optReferenceInnerEpochs(int v) {
            referenceInnerEpochs = v;
            return this;
        }

        /**
         * Sets the outer steps per round, REFERENCE_COMPATIBLE (default 10).
         *
         * @param v {@code >= 1}
         * @return this builder
         */
        public Builder optReferenceOuterStepsPerRound(int v) {
            referenceOuterStepsPerRound = v;
            return this;
        }

        /**
         * Sets the NaN policy (default 3 retries, back-off 0.5).
         *
         * @param v the policy
         * @return this builder
         */
        public Builder optNanPolicy(NanPolicy v) {
            nanPolicy = v;
            return this;
        }

        /**
         * Sets the trainable parameters (default all).
         *
         * @param v the selection
         * @return this builder
         */
        public Builder optParameters(ParameterSelection v) {
            parameters = v;
            return this;
        }

        /**
         * Sets early stopping (default none).
         *
         * @param v the settings, or {@code null} for none
         * @return this builder
         */
        public Builder optEarlyStop(EarlyStopSettings v) {
            earlyStop = v;
            return this;
        }

        /**
         * Builds and validates the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the first field outside its allowed range
         */
        public EraseDiffConfig build() {
            return new EraseDiffConfig(mode, outerSteps, updater, innerSteps, innerStepSize, lambdaRule,
                    forgetTarget, remainTarget, remainOriginalWeight, clipNorm, emaDecay, emaWarmup, remainBatchSize,
                    forgetBatchSize, seed, monitorQ, referenceInnerEpochs, referenceOuterStepsPerRound, nanPolicy, parameters, earlyStop);
        }
    }

    /** Jackson's filter that leaves the default remain target, NOISE, out of the JSON (older files read the same). */
    static final class NoiseRemainTarget {
        @Override
        public boolean equals(Object value) {
            return value == RemainTarget.NOISE;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
