package org.erasediff.core.sampling;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Immutable sampler settings; every instance is valid (the constructor calls
 * {@link #validate()}). Round-trips through JSON with {@link #toJson()} / {@link #fromJson(String)};
 * the solver is written only when it is not the default {@link Solver#DDIM}, and JSON without it
 * reads as DDIM, so configs written before the solver existed still parse to the same sampler.
 *
 * @param steps         number of denoising steps S, in [1, 100000] (and at most the schedule's T,
 *                      checked by the {@link Sampler})
 * @param eta           stochasticity η in [0, 1]: 0 = deterministic DDIM; 1 with S = T = DDPM;
 *                      must be 0 for {@link Solver#DPM_SOLVER_PP_2M}
 * @param spacing       how the S timesteps are chosen
 * @param guidanceScale classifier-free guidance w, finite and ≥ 0 (0 = no guidance; ignored by
 *                      unconditional models)
 * @param clip          whether x̂_0 is clipped to [−1, 1] at every step
 * @param solver        the update rule between visited timesteps (default DDIM)
 */
public record SamplerConfig(int steps, double eta, TimestepSpacing spacing, double guidanceScale, boolean clip,
                            @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = IsDefaultSolver.class)
                            Solver solver) {

    /** Default guidance scale w (the paper's). */
    public static final double DEFAULT_GUIDANCE_SCALE = 2.0;
    /** Largest allowed number of steps. */
    public static final int MAX_STEPS = 100_000;

    /** Ancestral DDPM: 1000 steps, η = 1, uniform spacing, w = 2, clipping on. Needs T = 1000. */
    public static final SamplerConfig DDPM = builder(1000).optEta(1.0).build();
    /** The paper's DDIM setting: 100 steps, η = 0, uniform spacing, w = 2, clipping on. */
    public static final SamplerConfig DDIM_100 = builder(100).build();

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Creates and validates a config; see {@link #validate()}.
     *
     * @param steps         number of denoising steps
     * @param eta           stochasticity η
     * @param spacing       timestep spacing
     * @param guidanceScale guidance scale w
     * @param clip          whether to clip x̂_0
     * @param solver        the solver (not null)
     * @throws IllegalArgumentException if a value is out of range or the combination is not allowed
     */
    public SamplerConfig {
        validate(steps, eta, spacing, guidanceScale, solver);
    }

    /**
     * Creates and validates a {@link Solver#DDIM} config; see {@link #validate()}.
     *
     * @param steps         number of denoising steps
     * @param eta           stochasticity η
     * @param spacing       timestep spacing
     * @param guidanceScale guidance scale w
     * @param clip          whether to clip x̂_0
     * @throws IllegalArgumentException if a value is out of range
     */
    public SamplerConfig(int steps, double eta, TimestepSpacing spacing, double guidanceScale, boolean clip) {
        this(steps, eta, spacing, guidanceScale, clip, Solver.DDIM);
    }

    /** The JSON entry point: an absent (or null) solver means DDIM, as before the field existed. */
    @JsonCreator
    private static SamplerConfig fromJsonFields(@JsonProperty("steps") int steps, @JsonProperty("eta") double eta,
                                                @JsonProperty("spacing") TimestepSpacing spacing,
                                                @JsonProperty("guidanceScale") double guidanceScale,
                                                @JsonProperty("clip") boolean clip,
                                                @JsonProperty("solver") Solver solver) {
        return new SamplerConfig(steps, eta, spacing, guidanceScale, clip, solver == null ? Solver.DDIM : solver);
    }

    /**
     * Starts a builder.
     *
     * @param steps number of denoising steps (required)
     * @return a builder with η = 0, UNIFORM spacing, w = 2, clipping on
     */
    public static Builder builder(int steps) {
        return new Builder(steps);
    }

    /**
     * Checks every field, and that η = 0 when the solver is {@link Solver#DPM_SOLVER_PP_2M}.
     *
     * @throws IllegalArgumentException naming the offending field and its allowed range
     */
    public void validate() {
        validate(steps, eta, spacing, guidanceScale, solver);
    }

    private static void validate(int steps, double eta, TimestepSpacing spacing, double guidanceScale,
                                 Solver solver) {
        if (steps < 1 || steps > MAX_STEPS) {
            throw new IllegalArgumentException("steps must be in [1, " + MAX_STEPS + "], got " + steps);
        }
        if (!(eta >= 0 && eta <= 1)) {
            throw new IllegalArgumentException("eta must be in [0, 1], got " + eta);
        }
        if (spacing == null) {
            throw new IllegalArgumentException("spacing must be one of UNIFORM, QUADRATIC, got null");
        }
        if (!(guidanceScale >= 0) || Double.isInfinite(guidanceScale)) {
            throw new IllegalArgumentException("guidanceScale must be finite and >= 0, got " + guidanceScale);
        }
        if (solver == null) {
            throw new IllegalArgumentException("solver must be one of "
                    + Arrays.stream(Solver.values()).map(Enum::name).collect(Collectors.joining(", ")) + ", got null");
        }
        if (solver == Solver.DPM_SOLVER_PP_2M && eta != 0) {
            throw new IllegalArgumentException("eta must be 0 for solver " + solver
                    + " (a deterministic solver), got " + eta);
        }
    }

    /**
     * Serialises this config.
     *
     * @return JSON with the fields steps, eta, spacing, guidanceScale, clip, and solver unless it
     *         is DDIM
     */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + this, e);
        }
    }

    /**
     * Parses a config written by {@link #toJson()}: steps, eta, spacing, guidanceScale and clip
     * are required; an absent solver means {@link Solver#DDIM}.
     *
     * @param json the JSON text
     * @return the validated config
     * @throws IllegalArgumentException if the JSON is malformed or a value is out of range
     */
    public static SamplerConfig fromJson(String json) {
        try {
            return JSON.readValue(json, SamplerConfig.class);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof IllegalArgumentException invalid) {
                throw invalid;
            }
            throw new IllegalArgumentException("expected SamplerConfig JSON, got: " + json, e);
        }
    }

    /** Builder for {@link SamplerConfig}: the step count is required, everything else has a default. */
    public static final class Builder {
        private final int steps;
        private double eta = 0.0;
        private TimestepSpacing spacing = TimestepSpacing.UNIFORM;
        private double guidanceScale = DEFAULT_GUIDANCE_SCALE;
        private boolean clip = true;
        private Solver solver = Solver.DDIM;

        private Builder(int steps) {
            this.steps = steps;
        }

        /**
         * @param eta stochasticity η in [0, 1] (default 0: deterministic DDIM)
         * @return this builder
         */
        public Builder optEta(double eta) {
            this.eta = eta;
            return this;
        }

        /**
         * @param spacing timestep spacing (default UNIFORM)
         * @return this builder
         */
        public Builder optSpacing(TimestepSpacing spacing) {
            this.spacing = spacing;
            return this;
        }

        /**
         * @param guidanceScale classifier-free guidance w ≥ 0 (default 2)
         * @return this builder
         */
        public Builder optGuidanceScale(double guidanceScale) {
            this.guidanceScale = guidanceScale;
            return this;
        }

        /**
         * @param clip whether to clip x̂_0 to [−1, 1] each step (default true, as the reference
         *             DDPM code does)
         * @return this builder
         */
        public Builder optClip(boolean clip) {
            this.clip = clip;
            return this;
        }

        /**
         * @param solver the update rule between timesteps (default DDIM);
         *               {@link Solver#DPM_SOLVER_PP_2M} needs η = 0
         * @return this builder
         */
        public Builder optSolver(Solver solver) {
            this.solver = solver;
            return this;
        }

        /**
         * Builds the config.
         *
         * @return the validated config
         * @throws IllegalArgumentException if a value is out of range
         */
        public SamplerConfig build() {
            return new SamplerConfig(steps, eta, spacing, guidanceScale, clip, solver);
        }
    }

    /** Jackson's value filter for {@link #solver()}: the default DDIM is left out of the JSON. */
    static final class IsDefaultSolver {
        @Override
        public boolean equals(Object value) {
            return value == Solver.DDIM;
        }

        @Override
        public int hashCode() {
            return Solver.DDIM.hashCode();
        }
    }
}
