package org.erasediff.dl4j.unet;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Objects;

/**
 * Immutable, validated description of the reference diffusion UNet built by {@link UNetBuilder}.
 *
 * <p>Every field has a default (see {@link Builder}); the defaults describe the ~1M-parameter
 * MNIST network: one 28×28 channel, widths 32/64/128 at 28/14/7, one residual block per level,
 * 4-head attention at 7×7, GroupNorm(8), time embedding 64 → 128, ten classes plus a learned null
 * class. Construction validates all fields, so an instance is always valid.
 *
 * <p>JSON: {@link #toJson()} / {@link #fromJson(String)} round-trip every field; unknown fields
 * are rejected and missing fields are an error (so a stored config never silently changes
 * meaning when defaults change).
 *
 * @param imageChannels      channels of the (noisy) image, 1..64; default 1
 * @param imageSize          height = width of the image in pixels, 2..1024, divisible by
 *                           2^(levels − 1); default 28
 * @param widths             feature width at each resolution level, from full resolution down
 *                           (level {@code l} has {@code imageSize / 2^l} pixels a side); 1..6
 *                           levels, each width 1..4096 and divisible by {@code groups}; default
 *                           [32, 64, 128]
 * @param resBlocksPerLevel  residual blocks per level on the way down and on the way up, 1..8;
 *                           default 1
 * @param attention          whether the lowest level has a self-attention block; default true
 * @param attentionHeads     attention heads, 1..64, dividing the lowest width; default 4
 * @param groups             GroupNorm groups, 1..4096, dividing every width; default 8
 * @param timeEmbeddingBase  width of the sinusoidal timestep encoding, even, 4..4096; default 64
 * @param timeEmbeddingWidth width of the time MLP and of the conditioning vector, 1..8192;
 *                           default 128
 * @param numClasses         number of real classes, 0..100000; 0 = unconditional (no
 *                           {@code label} input); otherwise label {@code numClasses} is the
 *                           learned null class; default 10
 * @param normEpsilon        GroupNorm epsilon, in (0, 0.1]; default 1e-5
 * @param outputInitScale    the output convolution's weights are drawn from
 *                           N(0, (outputInitScale)²/fan_in), in [0, 10]; 0 = zero-initialised
 *                           (the network then predicts 0 at initialisation and only
 *                           {@code conv_out_*} receives a non-zero gradient in the first step);
 *                           default 1 (the same initialisation as every other weight, as in the
 *                           libtorch reference network)
 * @param seed               seed of the parameter initialisation; default 42
 */
public record UNetConfig(
        int imageChannels,
        int imageSize,
        List<Integer> widths,
        int resBlocksPerLevel,
        boolean attention,
        int attentionHeads,
        int groups,
        int timeEmbeddingBase,
        int timeEmbeddingWidth,
        int numClasses,
        double normEpsilon,
        double outputInitScale,
        long seed) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Validates every field and copies {@code widths} into an unmodifiable list. */
    public UNetConfig {
        Objects.requireNonNull(widths, "widths must not be null");
        widths = List.copyOf(widths);
        validate(imageChannels, imageSize, widths, resBlocksPerLevel, attentionHeads, groups,
                timeEmbeddingBase, timeEmbeddingWidth, numClasses, normEpsilon, outputInitScale);
    }

    /** A builder initialised with the documented defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised with this config's values. */
    public Builder toBuilder() {
        return new Builder()
                .optImageChannels(imageChannels).optImageSize(imageSize).optWidths(widths)
                .optResBlocksPerLevel(resBlocksPerLevel).optAttention(attention)
                .optAttentionHeads(attentionHeads).optGroups(groups)
                .optTimeEmbeddingBase(timeEmbeddingBase).optTimeEmbeddingWidth(timeEmbeddingWidth)
                .optNumClasses(numClasses).optNormEpsilon(normEpsilon)
                .optOutputInitScale(outputInitScale).optSeed(seed);
    }

    /**
     * Checks every field again (construction already did); present so that callers holding a
     * config can re-assert validity in the project-wide way.
     *
     * @throws IllegalArgumentException naming the first invalid field and its allowed range
     */
    public void validate() {
        validate(imageChannels, imageSize, widths, resBlocksPerLevel, attentionHeads, groups,
                timeEmbeddingBase, timeEmbeddingWidth, numClasses, normEpsilon, outputInitScale);
    }

    /** Number of resolution levels ({@code widths.size()}). */
    public int levels() {
        return widths.size();
    }

    /** Feature width at level {@code level} (0 = full resolution). */
    public int width(int level) {
        return widths.get(level);
    }

    /** Side length in pixels at level {@code level}: {@code imageSize / 2^level}. */
    public int resolution(int level) {
        return imageSize >> level;
    }

    /** Whether the network takes a {@code label} input ({@code numClasses > 0}). */
    @JsonIgnore
    public boolean isConditional() {
        return numClasses > 0;
    }

    /**
     * The label index of the learned null class used for classifier-free guidance: equal to
     * {@code numClasses}.
     *
     * @throws IllegalStateException for an unconditional config
     */
    public int nullClass() {
        if (!isConditional()) {
            throw new IllegalStateException("an unconditional UNet (numClasses = 0) has no null class");
        }
        return numClasses;
    }

    /** This config as a JSON object string. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise UNetConfig", e);
        }
    }

    /**
     * Parses a config written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException if the text is not such a JSON object or a value is invalid
     */
    public static UNetConfig fromJson(String json) {
        try {
            return JSON.readValue(json, UNetConfig.class);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("expected a UNetConfig JSON object: " + e.getOriginalMessage(), e);
        }
    }

    private static void validate(int imageChannels, int imageSize, List<Integer> widths, int resBlocksPerLevel,
                                 int attentionHeads, int groups, int timeEmbeddingBase, int timeEmbeddingWidth,
                                 int numClasses, double normEpsilon, double outputInitScale) {
        range("imageChannels", imageChannels, 1, 64);
        range("imageSize", imageSize, 2, 1024);
        range("widths.size", widths.size(), 1, 6);
        range("groups", groups, 1, 4096);
        for (int l = 0; l < widths.size(); l++) {
            Integer w = widths.get(l);
            if (w == null) {
                throw new IllegalArgumentException("widths[" + l + "] must be an integer in [1, 4096], found null");
            }
            range("widths[" + l + "]", w, 1, 4096);
            if (w % groups != 0) {
                throw new IllegalArgumentException("widths[" + l + "] must be divisible by groups = " + groups
                        + ", found " + w);
            }
        }
        int factor = 1 << (widths.size() - 1);
        if (imageSize % factor != 0) {
            throw new IllegalArgumentException("imageSize must be divisible by 2^(levels-1) = " + factor
                    + " for " + widths.size() + " levels, found " + imageSize);
        }
        range("resBlocksPerLevel", resBlocksPerLevel, 1, 8);
        range("attentionHeads", attentionHeads, 1, 64);
        int lowest = widths.get(widths.size() - 1);
        if (lowest % attentionHeads != 0) {
            throw new IllegalArgumentException("attentionHeads must divide the lowest width " + lowest
                    + ", found " + attentionHeads);
        }
        range("timeEmbeddingBase", timeEmbeddingBase, 4, 4096);
        if (timeEmbeddingBase % 2 != 0) {
            throw new IllegalArgumentException("timeEmbeddingBase must be even, found " + timeEmbeddingBase);
        }
        range("timeEmbeddingWidth", timeEmbeddingWidth, 1, 8192);
        range("numClasses", numClasses, 0, 100_000);
        if (!(normEpsilon > 0 && normEpsilon <= 0.1)) {
            throw new IllegalArgumentException("normEpsilon must be in (0, 0.1], found " + normEpsilon);
        }
        if (!(outputInitScale >= 0 && outputInitScale <= 10)) {
            throw new IllegalArgumentException("outputInitScale must be in [0, 10], found " + outputInitScale);
        }
    }

    private static void range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be in [" + min + ", " + max + "], found " + value);
        }
    }

    /** Builder for {@link UNetConfig}; every value is optional and starts at its documented default. */
    public static final class Builder {
        private int imageChannels = 1;
        private int imageSize = 28;
        private List<Integer> widths = List.of(32, 64, 128);
        private int resBlocksPerLevel = 1;
        private boolean attention = true;
        private int attentionHeads = 4;
        private int groups = 8;
        private int timeEmbeddingBase = 64;
        private int timeEmbeddingWidth = 128;
        private int numClasses = 10;
        private double normEpsilon = 1e-5;
        private double outputInitScale = 1.0;
        private long seed = 42L;

        private Builder() {
        }

        /** Image channels (default 1). */
        public Builder optImageChannels(int imageChannels) {
            this.imageChannels = imageChannels;
            return this;
        }

        /** Image side length in pixels (default 28). */
        public Builder optImageSize(int imageSize) {
            this.imageSize = imageSize;
            return this;
        }

        /** Widths per level from full resolution down (default 32, 64, 128). */
        public Builder optWidths(int... widths) {
            this.widths = java.util.Arrays.stream(widths).boxed().toList();
            return this;
        }

        /** Widths per level from full resolution down (default 32, 64, 128); the list is copied. */
        public Builder optWidths(List<Integer> widths) {
            this.widths = widths;
            return this;
        }

        /** Residual blocks per level (default 1). */
        public Builder optResBlocksPerLevel(int resBlocksPerLevel) {
            this.resBlocksPerLevel = resBlocksPerLevel;
            return this;
        }

        /** Self-attention at the lowest level (default true). */
        public Builder optAttention(boolean attention) {
            this.attention = attention;
            return this;
        }

        /** Attention heads (default 4). */
        public Builder optAttentionHeads(int attentionHeads) {
            this.attentionHeads = attentionHeads;
            return this;
        }

        /** GroupNorm groups (default 8). */
        public Builder optGroups(int groups) {
            this.groups = groups;
            return this;
        }

        /** Sinusoidal timestep encoding width (default 64). */
        public Builder optTimeEmbeddingBase(int timeEmbeddingBase) {
            this.timeEmbeddingBase = timeEmbeddingBase;
            return this;
        }

        /** Time-MLP / conditioning width (default 128). */
        public Builder optTimeEmbeddingWidth(int timeEmbeddingWidth) {
            this.timeEmbeddingWidth = timeEmbeddingWidth;
            return this;
        }

        /** Number of real classes, 0 = unconditional (default 10). */
        public Builder optNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /** GroupNorm epsilon (default 1e-5). */
        public Builder optNormEpsilon(double normEpsilon) {
            this.normEpsilon = normEpsilon;
            return this;
        }

        /** Scale of the output convolution's initial weights, 0 = zeros (default 1). */
        public Builder optOutputInitScale(double outputInitScale) {
            this.outputInitScale = outputInitScale;
            return this;
        }

        /** Initialisation seed (default 42). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Builds and validates the config.
         *
         * @throws IllegalArgumentException naming the first invalid field and its allowed range
         */
        public UNetConfig build() {
            return new UNetConfig(imageChannels, imageSize, widths, resBlocksPerLevel, attention, attentionHeads,
                    groups, timeEmbeddingBase, timeEmbeddingWidth, numClasses, normEpsilon, outputInitScale, seed);
        }
    }
}
