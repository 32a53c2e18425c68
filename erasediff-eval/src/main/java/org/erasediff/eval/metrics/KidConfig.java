package org.erasediff.eval.metrics;

/**
 * Settings of {@link KernelInceptionDistance}: the subset size, the number of subsets and the
 * seed that draws them. Immutable; serialises to and from JSON with Jackson.
 *
 * @param subsetSize samples drawn (without replacement) from each set per subset, at least 2;
 *                   when a set is smaller, its size is used instead. Default 1000
 * @param numSubsets how many subsets are averaged, at least 2 (for a standard error). Default 100
 * @param seed       seed of the subset draws; equal seeds give equal results. Default 0
 */
public record KidConfig(int subsetSize, int numSubsets, long seed) {

    /** Default subset size (as in Bińkowski et al.'s reference code). */
    public static final int DEFAULT_SUBSET_SIZE = 1000;
    /** Default number of subsets. */
    public static final int DEFAULT_NUM_SUBSETS = 100;
    /** Default seed. */
    public static final long DEFAULT_SEED = 0L;

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException naming the field and its allowed range
     */
    public KidConfig {
        if (subsetSize < 2) {
            throw new IllegalArgumentException("subsetSize must be >= 2, found " + subsetSize);
        }
        if (numSubsets < 2) {
            throw new IllegalArgumentException("numSubsets must be >= 2, found " + numSubsets);
        }
    }

    /** The default settings (1000 samples, 100 subsets, seed 0). */
    public static KidConfig defaults() {
        return builder().build();
    }

    /** A builder preset to the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link KidConfig}; every value is optional. */
    public static final class Builder {
        private int subsetSize = DEFAULT_SUBSET_SIZE;
        private int numSubsets = DEFAULT_NUM_SUBSETS;
        private long seed = DEFAULT_SEED;

        private Builder() {
        }

        /** Samples per set per subset, {@code >= 2} (default 1000). */
        public Builder optSubsetSize(int value) {
            this.subsetSize = value;
            return this;
        }

        /** Number of subsets, {@code >= 2} (default 100). */
        public Builder optNumSubsets(int value) {
            this.numSubsets = value;
            return this;
        }

        /** Seed of the subset draws (default 0). */
        public Builder optSeed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * Builds the validated settings.
         *
         * @throws IllegalArgumentException naming the field out of range
         */
        public KidConfig build() {
            return new KidConfig(subsetSize, numSubsets, seed);
        }
    }
}
