package org.erasediff.core.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;

/**
 * Immutable description of a noise schedule; every instance is valid (the constructor calls
 * {@link #validate()}). Round-trips through JSON with {@link #toJson()} / {@link #fromJson(String)}.
 *
 * @param type      the schedule shape
 * @param timesteps number of diffusion steps T (timesteps are 0..T−1), in [2, 100000]
 * @param betaStart β_0 for {@link ScheduleType#LINEAR} and {@link ScheduleType#SCALED_LINEAR}, in (0, 1)
 * @param betaEnd   β_{T−1} for those schedules, in [betaStart, 1)
 */
public record ScheduleConfig(ScheduleType type, int timesteps, double betaStart, double betaEnd) {

    /** Default number of timesteps T. */
    public static final int DEFAULT_TIMESTEPS = 1000;
    /** Default β_0 (DDPM). */
    public static final double DEFAULT_BETA_START = 1e-4;
    /** Default β_{T−1} (DDPM). */
    public static final double DEFAULT_BETA_END = 0.02;
    /** Largest allowed T. */
    public static final int MAX_TIMESTEPS = 100_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Creates and validates a config; see {@link #validate()}.
     *
     * @param type      the schedule shape
     * @param timesteps number of diffusion steps T
     * @param betaStart first β (unused by COSINE)
     * @param betaEnd   last β (unused by COSINE)
     * @throws IllegalArgumentException if a value is out of range
     */
    public ScheduleConfig {
        validate(type, timesteps, betaStart, betaEnd);
    }

    /**
     * Starts a builder.
     *
     * @param type the schedule shape (required)
     * @return a builder with T = 1000, β from 1e-4 to 0.02
     */
    public static Builder builder(ScheduleType type) {
        return new Builder(type);
    }

    /**
     * Checks every field.
     *
     * @throws IllegalArgumentException naming the offending field and its allowed range
     */
    public void validate() {
        validate(type, timesteps, betaStart, betaEnd);
    }

    private static void validate(ScheduleType type, int timesteps, double betaStart, double betaEnd) {
        if (type == null) {
            throw new IllegalArgumentException("type must be one of LINEAR, COSINE, SCALED_LINEAR, got null");
        }
        if (timesteps < 2 || timesteps > MAX_TIMESTEPS) {
            throw new IllegalArgumentException(
                    "timesteps must be in [2, " + MAX_TIMESTEPS + "], got " + timesteps);
        }
        if (!(betaStart > 0 && betaStart < 1)) {
            throw new IllegalArgumentException("betaStart must be in (0, 1), got " + betaStart);
        }
        if (!(betaEnd >= betaStart && betaEnd < 1)) {
            throw new IllegalArgumentException(
                    "betaEnd must be in [betaStart=" + betaStart + ", 1), got " + betaEnd);
        }
    }

    /**
     * Serialises this config.
     *
     * @return JSON with the fields type, timesteps, betaStart, betaEnd
     */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + this, e);
        }
    }

    /**
     * Parses a config written by {@link #toJson()}; all four fields are required.
     *
     * @param json the JSON text
     * @return the validated config
     * @throws IllegalArgumentException if the JSON is malformed or a value is out of range
     */
    public static ScheduleConfig fromJson(String json) {
        try {
            return JSON.readValue(json, ScheduleConfig.class);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof IllegalArgumentException invalid) {
                throw invalid;
            }
            throw new IllegalArgumentException("expected ScheduleConfig JSON, got: " + json, e);
        }
    }

    /** Builder for {@link ScheduleConfig}: the type is required, everything else has a default. */
    public static final class Builder {
        private final ScheduleType type;
        private int timesteps = DEFAULT_TIMESTEPS;
        private double betaStart = DEFAULT_BETA_START;
        private double betaEnd = DEFAULT_BETA_END;

        private Builder(ScheduleType type) {
            this.type = Objects.requireNonNull(type, "type");
        }

        /**
         * Sets T.
         *
         * @param timesteps number of diffusion steps (default 1000)
         * @return this builder
         */
        public Builder optTimesteps(int timesteps) {
            this.timesteps = timesteps;
            return this;
        }

        /**
         * Sets β_0.
         *
         * @param betaStart first β (default 1e-4); ignored by COSINE
         * @return this builder
         */
        public Builder optBetaStart(double betaStart) {
            this.betaStart = betaStart;
            return this;
        }

        /**
         * Sets β_{T−1}.
         *
         * @param betaEnd last β (default 0.02); ignored by COSINE
         * @return this builder
         */
        public Builder optBetaEnd(double betaEnd) {
            this.betaEnd = betaEnd;
            return this;
        }

        /**
         * Builds the config.
         *
         * @return the validated config
         * @throws IllegalArgumentException if a value is out of range
         */
        public ScheduleConfig build() {
            return new ScheduleConfig(type, timesteps, betaStart, betaEnd);
        }
    }
}
