package org.erasediff.core.util;

import java.util.SplittableRandom;

/**
 * One run seed split deterministically into independent random streams, one per
 * ({@link RngPurpose purpose}, step[, sub-step]).
 *
 * <p>Each derived seed is a pure function of (run seed, purpose code, step, sub-step), built by
 * chaining SplitMix64 finalisers (Steele, Lea and Flood, 2014), so any stream of any step can be
 * re-created without replaying the ones before it: a run resumed at step s asks for the seeds of
 * step s and draws exactly what the uninterrupted run drew. Distinct inputs give statistically
 * independent 64-bit seeds. The derivation is part of the reproducibility contract and must not
 * change between versions (a test pins known values). Immutable and thread-safe.
 *
 * <p>Typical use: seed a reusable ND4J generator in place with {@code rng.setSeed(streams.seed(
 * RngPurpose.NOISE, step))}, or take a {@link SplittableRandom} for small Java-side draws.
 */
public final class RngStreams {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final long runSeed;

    /**
     * Creates the streams of one run.
     *
     * @param runSeed the run's single seed (any value)
     */
    public RngStreams(long runSeed) {
        this.runSeed = runSeed;
    }

    /** The run seed these streams derive from. */
    public long runSeed() {
        return runSeed;
    }

    /**
     * The seed of one purpose at one step; equal to {@code seed(purpose, step, 0)}.
     *
     * @param purpose what the stream is for
     * @param step    the step (or epoch, or batch) index
     * @return the derived 64-bit seed
     */
    public long seed(RngPurpose purpose, long step) {
        return seed(purpose, step, 0L);
    }

    /**
     * The seed of one purpose at one step and sub-step (e.g. an inner-loop step within an outer
     * step).
     *
     * @param purpose what the stream is for
     * @param step    the step index
     * @param subStep the sub-step index
     * @return the derived 64-bit seed
     * @throws IllegalArgumentException if {@code purpose} is {@code null}
     */
    public long seed(RngPurpose purpose, long step, long subStep) {
        if (purpose == null) {
            throw new IllegalArgumentException("purpose must be one of RngPurpose, was null");
        }
        long h = mix64(runSeed + GOLDEN_GAMMA);
        h = mix64(h ^ mix64(purpose.code() + 2 * GOLDEN_GAMMA));
        h = mix64(h ^ mix64(step + 3 * GOLDEN_GAMMA));
        return mix64(h ^ mix64(subStep + 4 * GOLDEN_GAMMA));
    }

    /**
     * A fresh Java generator for one purpose at one step.
     *
     * @param purpose what the stream is for
     * @param step    the step index
     * @return a new generator owned by the caller, seeded with {@link #seed(RngPurpose, long)}
     */
    public SplittableRandom random(RngPurpose purpose, long step) {
        return new SplittableRandom(seed(purpose, step));
    }

    /** The SplitMix64 finaliser (a bijection on 64-bit values with strong avalanche). */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
