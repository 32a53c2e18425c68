package org.erasediff.eval.deletion;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * Settings of the loss-based {@link MembershipInference} attack. Immutable, validated, JSON
 * round-trippable; build with {@link #builder()}.
 *
 * @param timesteps         the fixed timesteps the denoising loss is measured at, each
 *                          {@code >= 0}, distinct (default 10, 25, 50, 100, 150, 200, 300, 400:
 *                          the low-noise end, where a memorised image's loss differs most)
 * @param noisesPerTimestep fixed noise images per timestep, {@code >= 1} (default 2)
 * @param seed              seed of the noise images (default 20231); the same noises serve every
 *                          image and every model
 * @param batchSize         images per forward pass, {@code >= 1} (default 100)
 */
public record MembershipInferenceConfig(
        @JsonProperty("timesteps") List<Integer> timesteps,
        @JsonProperty("noisesPerTimestep") int noisesPerTimestep,
        @JsonProperty("seed") long seed,
        @JsonProperty("batchSize") int batchSize) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Validates every field; messages name the field and the allowed range. */
    @JsonCreator
    public MembershipInferenceConfig {
        if (timesteps == null || timesteps.isEmpty()) {
            throw new IllegalArgumentException("timesteps must name at least one timestep");
        }
        timesteps = List.copyOf(timesteps);
        if (timesteps.stream().anyMatch(t -> t < 0) || timesteps.stream().distinct().count() != timesteps.size()) {
            throw new IllegalArgumentException("timesteps must be distinct and >= 0, were " + timesteps);
        }
        if (noisesPerTimestep < 1) {
            throw new IllegalArgumentException("noisesPerTimestep must be >= 1, was " + noisesPerTimestep);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
        }
    }

    /** A builder with the documented defaults. */
    public static Builder builder() {
        return new Builder();
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
    public static MembershipInferenceConfig fromJson(String json) {
        try {
            return JSON.readValue(json, MembershipInferenceConfig.class);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("not a membership-inference config: " + e.getOriginalMessage(), e);
        }
    }

    /** Builder with documented defaults; every value is optional. */
    public static final class Builder {
        private List<Integer> timesteps = List.of(10, 25, 50, 100, 150, 200, 300, 400);
        private int noisesPerTimestep = 2;
        private long seed = 20231;
        private int batchSize = 100;

        private Builder() {
        }

        /** The timesteps (default 10, 25, 50, 100, 150, 200, 300, 400). */
        public Builder optTimesteps(List<Integer> v) {
            timesteps = v;
            return this;
        }

        /** Noise images per timestep (default 2). */
        public Builder optNoisesPerTimestep(int v) {
            noisesPerTimestep = v;
            return this;
        }

        /** Seed of the noise images (default 20231). */
        public Builder optSeed(long v) {
            seed = v;
            return this;
        }

        /** Images per forward pass (default 100). */
        public Builder optBatchSize(int v) {
            batchSize = v;
            return this;
        }

        /** Builds and validates. */
        public MembershipInferenceConfig build() {
            return new MembershipInferenceConfig(timesteps, noisesPerTimestep, seed, batchSize);
        }
    }
}
