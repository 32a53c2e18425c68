package org.erasediff.dl4j.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.schedule.ScheduleType;

/**
 * Settings of DDPM training. Immutable, validated, JSON round-trippable; build with
 * {@link #builder(int)}.
 *
 * @param steps           optimiser steps of the whole run (&gt; 0)
 * @param batchSize       images per step (&ge; 2; SameDiff M2.1 fails on batch 1)
 * @param learningRate    peak Adam learning rate (default 1e-3)
 * @param warmupSteps     linear warm-up steps (default 200)
 * @param finalLrFraction learning rate at the end as a fraction of the peak, cosine decay (default 0.1)
 * @param labelDropout    probability of replacing a label by the null label, for guidance (default 0.1); a
 *                        class-conditional graph's setting: an unconditional graph has no labels and takes 0
 * @param clipNorm        global gradient-norm clipping threshold; 0 disables (default 1.0)
 * @param emaDecay        EMA decay of the weights; 0 disables (default 0.999)
 * @param antithetic      draw timesteps in antithetic pairs t, T−1−t (default true, as the reference code)
 * @param seed            the run's seed (default 1)
 * @param checkpointEvery steps between checkpoints; 0 disables (default 200)
 * @param schedule        the noise schedule (default linear 1e-4 → 0.02, T = 1000)
 */
public record DdpmTrainingConfig(
        @JsonProperty("steps") int steps,
        @JsonProperty("batchSize") int batchSize,
        @JsonProperty("learningRate") double learningRate,
        @JsonProperty("warmupSteps") int warmupSteps,
        @JsonProperty("finalLrFraction") double finalLrFraction,
        @JsonProperty("labelDropout") double labelDropout,
        @JsonProperty("clipNorm") double clipNorm,
        @JsonProperty("emaDecay") double emaDecay,
        @JsonProperty("antithetic") boolean antithetic,
        @JsonProperty("seed") long seed,
        @JsonProperty("checkpointEvery") int checkpointEvery,
        @JsonProperty("schedule") ScheduleConfig schedule) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Validates every field; messages name the field and the allowed range. */
    @JsonCreator
    public DdpmTrainingConfig {
        Objects.requireNonNull(schedule, "schedule");
        if (steps <= 0) {
            throw new IllegalArgumentException("steps must be > 0, was " + steps);
        }
        if (batchSize < 2) {
            throw new IllegalArgumentException("batchSize must be >= 2, was " + batchSize);
        }
        if (!(learningRate > 0) || learningRate > Float.MAX_VALUE) {
            throw new IllegalArgumentException("learningRate must be > 0 and finite (at most " + Float.MAX_VALUE
                    + ", the float range), was " + learningRate);
        }
        if (warmupSteps < 0 || warmupSteps > steps) {
            throw new IllegalArgumentException("warmupSteps must be in [0, steps=" + steps + "], was " + warmupSteps);
        }
        if (!(finalLrFraction >= 0 && finalLrFraction <= 1)) {
            throw new IllegalArgumentException("finalLrFraction must be in [0, 1], was " + finalLrFraction);
        }
        if (!(labelDropout >= 0 && labelDropout < 1)) {
            throw new IllegalArgumentException("labelDropout must be in [0, 1), was " + labelDropout);
        }
        if (!(clipNorm >= 0)) {
            throw new IllegalArgumentException("clipNorm must be >= 0 (0 disables clipping), was " + clipNorm);
        }
        if (!(emaDecay >= 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("emaDecay must be in [0, 1) (0 disables EMA), was " + emaDecay);
        }
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("checkpointEvery must be >= 0 (0 disables), was " + checkpointEvery);
        }
    }

    /** Starts a config with the number of steps; everything else has the documented defaults. */
    public static Builder builder(int steps) {
        return new Builder(steps);
    }

    /** This config as JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses and validates a config written by {@link #toJson()}. */
    public static DdpmTrainingConfig fromJson(String json) {
        try {
            return JSON.readValue(json, DdpmTrainingConfig.class);
        } catch (JsonProcessingException e) {
            Throwable c = e.getCause();
            if (c instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("not a DDPM training config: " + e.getOriginalMessage(), e);
        }
    }

    /** Builder with documented defaults. */
    public static final class Builder {
        private final int steps;
        private int batchSize = 64;
        private double learningRate = 1e-3;
        private int warmupSteps = 200;
        private double finalLrFraction = 0.1;
        private double labelDropout = 0.1;
        private double clipNorm = 1.0;
        private double emaDecay = 0.999;
        private boolean antithetic = true;
        private long seed = 1;
        private int checkpointEvery = 200;
        private ScheduleConfig schedule = ScheduleConfig.builder(ScheduleType.LINEAR).build();

        private Builder(int steps) {
            this.steps = steps;
        }

        /** Images per step (default 64). */
        public Builder optBatchSize(int v) {
            batchSize = v;
            return this;
        }

        /** Peak learning rate (default 1e-3). */
        public Builder optLearningRate(double v) {
            learningRate = v;
            return this;
        }

        /** Warm-up steps (default 200, capped at the number of steps). */
        public Builder optWarmupSteps(int v) {
            warmupSteps = v;
            return this;
        }

        /** Final learning rate as a fraction of the peak (default 0.1). */
        public Builder optFinalLrFraction(double v) {
            finalLrFraction = v;
            return this;
        }

        /** Label-dropout probability (default 0.1). */
        public Builder optLabelDropout(double v) {
            labelDropout = v;
            return this;
        }

        /** Global gradient-norm clip; 0 disables (default 1.0). */
        public Builder optClipNorm(double v) {
            clipNorm = v;
            return this;
        }

        /** EMA decay; 0 disables (default 0.999). */
        public Builder optEmaDecay(double v) {
            emaDecay = v;
            return this;
        }

        /** Antithetic timesteps (default true). */
        public Builder optAntithetic(boolean v) {
            antithetic = v;
            return this;
        }

        /** Seed (default 1). */
        public Builder optSeed(long v) {
            seed = v;
            return this;
        }

        /** Steps between checkpoints; 0 disables (default 200). */
        public Builder optCheckpointEvery(int v) {
            checkpointEvery = v;
            return this;
        }

        /** Noise schedule (default linear, T = 1000). */
        public Builder optSchedule(ScheduleConfig v) {
            schedule = v;
            return this;
        }

        /** Builds and validates. */
        public DdpmTrainingConfig build() {
            return new DdpmTrainingConfig(steps, batchSize, learningRate, Math.min(warmupSteps, steps), finalLrFraction,
                    labelDropout, clipNorm, emaDecay, antithetic, seed, checkpointEvery, schedule);
        }
    }
}
