package org.erasediff.dl4j.sweep;

import java.util.Objects;

/**
 * How a sweep searches: random or grid search, the candidate budget, the time budget, the search
 * seed (which fixes the candidate sequence) and the grid resolution, and the objective. Immutable;
 * build with {@link #builder(int)}.
 *
 * @param search        {@link Search#RANDOM} (default) or {@link Search#GRID}
 * @param maxCandidates the candidate budget, {@code >= 1}; a grid smaller than it is run whole
 * @param maxSeconds    the time budget in seconds: no candidate starts after it ({@code 0} = none;
 *                      default 0)
 * @param seed          the random search's seed (default 0); same seed, same candidates
 * @param gridPoints    values per continuous parameter in a grid search, {@code >= 2} (default 3);
 *                      integer ranges take at most this many values, choices all of theirs
 * @param objective     the scalarised score and Pareto figures (default {@code p_forget + 0.01 × fid_remain})
 */
public record SweepSettings(Search search, int maxCandidates, long maxSeconds, long seed, int gridPoints,
                            SweepObjective objective) {

    /** Default weight of the quality loss in the scalarised score. */
    public static final double DEFAULT_QUALITY_WEIGHT = 0.01;

    /** The search strategies. */
    public enum Search {
        /** Arbiter's random search: each parameter drawn from its distribution (log-uniform ranges in log space). */
        RANDOM,
        /** Arbiter's grid search in sequential order (log-uniform ranges on a log-spaced grid). */
        GRID
    }

    /**
     * Validates.
     *
     * @throws IllegalArgumentException naming the field out of range
     */
    public SweepSettings {
        Objects.requireNonNull(search, "search");
        Objects.requireNonNull(objective, "objective");
        if (maxCandidates < 1) {
            throw new IllegalArgumentException("maxCandidates must be >= 1, was " + maxCandidates);
        }
        if (maxSeconds < 0) {
            throw new IllegalArgumentException("maxSeconds must be >= 0 (0 = no time budget), was " + maxSeconds);
        }
        if (gridPoints < 2) {
            throw new IllegalArgumentException("gridPoints must be >= 2, was " + gridPoints);
        }
    }

    /** A builder with the required candidate budget. */
    public static Builder builder(int maxCandidates) {
        return new Builder(maxCandidates);
    }

    /** Builder: the candidate budget is required, every {@code optX} optional. */
    public static final class Builder {
        private final int maxCandidates;
        private Search search = Search.RANDOM;
        private long maxSeconds;
        private long seed;
        private int gridPoints = 3;
        private SweepObjective objective = SweepObjective.of(DEFAULT_QUALITY_WEIGHT);

        private Builder(int maxCandidates) {
            this.maxCandidates = maxCandidates;
        }

        /** Random (default) or grid search. */
        public Builder optSearch(Search s) {
            search = s;
            return this;
        }

        /** The time budget in seconds (0 = none, the default). */
        public Builder optMaxSeconds(long s) {
            maxSeconds = s;
            return this;
        }

        /** The search seed (default 0). */
        public Builder optSeed(long s) {
            seed = s;
            return this;
        }

        /** Grid values per continuous parameter (default 3). */
        public Builder optGridPoints(int n) {
            gridPoints = n;
            return this;
        }

        /** The objective (default {@code p_forget + 0.01 × fid_remain}). */
        public Builder optObjective(SweepObjective o) {
            objective = o;
            return this;
        }

        /** Builds the validated settings. */
        public SweepSettings build() {
            return new SweepSettings(search, maxCandidates, maxSeconds, seed, gridPoints, objective);
        }
    }
}
