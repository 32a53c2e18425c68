package org.erasediff.core.unlearn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.erasediff.core.optim.NanPolicy;
import org.erasediff.core.optim.ParameterSelection;
import org.erasediff.core.optim.UpdaterSettings;

/**
 * Every setting of one baseline unlearning run: the method with its own hyper-parameters and the
 * settings every method shares with EraseDiff (steps, updater, clipping, EMA, batch sizes, seed,
 * NaN policy, trainable parameters), with EraseDiff's defaults. Immutable and validated; build it
 * with {@link #builder(BaselineMethod)}; JSON round-trippable.
 *
 * @param method          the baseline and its hyper-parameters
 * @param steps           optimiser steps, {@code >= 1} (default 200)
 * @param updater         the optimiser (default Adam 1e-4)
 * @param clipNorm        global gradient-norm clip, {@code > 0}, or 0 for none (default 1)
 * @param emaDecay        EMA decay in [0, 1), 0 for none (default 0.99)
 * @param emaWarmup       whether the EMA decay warms up as min(d, (1+n)/(10+n)) (default true)
 * @param remainBatchSize remain batch size, {@code >= 1} (default 128)
 * @param forgetBatchSize forget batch size, {@code >= 1} (default 128)
 * @param seed            the run seed (default 0)
 * @param nanPolicy       rollback retries and back-off (default 3, 0.5)
 * @param parameters      trainable parameters (default all)
 */
public record BaselineConfig(BaselineMethod method, int steps, UpdaterSettings updater, double clipNorm,
                             double emaDecay, boolean emaWarmup, int remainBatchSize, int forgetBatchSize, long seed,
                             NanPolicy nanPolicy, ParameterSelection parameters) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * Validates every field.
     *
     * @throws IllegalArgumentException naming the field outside its range
     */
    public BaselineConfig {
        if (method == null || updater == null || nanPolicy == null || parameters == null) {
            throw new IllegalArgumentException("method, updater, nanPolicy and parameters must be set");
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, was " + steps);
        }
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clipNorm must be > 0 (or 0 for none) and finite, was " + clipNorm);
        }
        if (!(emaDecay >= 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("emaDecay must be in [0, 1) (0 disables the EMA), was " + emaDecay);
        }
        if (remainBatchSize < 1 || forgetBatchSize < 1) {
            throw new IllegalArgumentException("remainBatchSize and forgetBatchSize must be >= 1, were "
                    + remainBatchSize + ", " + forgetBatchSize);
        }
    }

    /** A builder with every shared default. */
    public static Builder builder(BaselineMethod method) {
        return new Builder(method);
    }

    /** This configuration as indented JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the configuration as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads a configuration written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException if the text is not such JSON or a value is out of range
     */
    public static BaselineConfig fromJson(String json) {
        try {
            return JSON.readValue(json, BaselineConfig.class);
        } catch (ValueInstantiationException e) {
            throw new IllegalArgumentException(e.getCause() != null ? e.getCause().getMessage() : e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid baseline configuration JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Builds a {@link BaselineConfig}: the method is required, every {@code optX} optional. */
    public static final class Builder {
        private final BaselineMethod method;
        private int steps = EraseDiffConfig.DEFAULT_OUTER_STEPS;
        private UpdaterSettings updater = UpdaterSettings.defaults();
        private double clipNorm = EraseDiffConfig.DEFAULT_CLIP_NORM;
        private double emaDecay = EraseDiffConfig.DEFAULT_EMA_DECAY;
        private boolean emaWarmup = EraseDiffConfig.DEFAULT_EMA_WARMUP;
        private int remainBatchSize = EraseDiffConfig.DEFAULT_BATCH_SIZE;
        private int forgetBatchSize = EraseDiffConfig.DEFAULT_BATCH_SIZE;
        private long seed = EraseDiffConfig.DEFAULT_SEED;
        private NanPolicy nanPolicy = NanPolicy.defaults();
        private ParameterSelection parameters = ParameterSelection.all();

        private Builder(BaselineMethod method) {
            this.method = method;
        }

        /** Steps (default 200). */
        public Builder optSteps(int v) {
            steps = v;
            return this;
        }

        /** The optimiser (default Adam 1e-4). */
        public Builder optUpdater(UpdaterSettings v) {
            updater = v;
            return this;
        }

        /** Global clip norm (default 1; 0 for none). */
        public Builder optClipNorm(double v) {
            clipNorm = v;
            return this;
        }

        /** EMA decay (default 0.99; 0 for none). */
        public Builder optEmaDecay(double v) {
            emaDecay = v;
            return this;
        }

        /** EMA warm-up (default true). */
        public Builder optEmaWarmup(boolean v) {
            emaWarmup = v;
            return this;
        }

        /** Remain batch size (default 128). */
        public Builder optRemainBatchSize(int v) {
            remainBatchSize = v;
            return this;
        }

        /** Forget batch size (default 128). */
        public Builder optForgetBatchSize(int v) {
            forgetBatchSize = v;
            return this;
        }

        /** The run seed (default 0). */
        public Builder optSeed(long v) {
            seed = v;
            return this;
        }

        /** The NaN policy (default 3 retries, back-off 0.5). */
        public Builder optNanPolicy(NanPolicy v) {
            nanPolicy = v;
            return this;
        }

        /** Trainable parameters (default all). */
        public Builder optParameters(ParameterSelection v) {
            parameters = v;
            return this;
        }

        /** Builds and validates. */
        public BaselineConfig build() {
            return new BaselineConfig(method, steps, updater, clipNorm, emaDecay, emaWarmup, remainBatchSize,
                    forgetBatchSize, seed, nanPolicy, parameters);
        }
    }
}
