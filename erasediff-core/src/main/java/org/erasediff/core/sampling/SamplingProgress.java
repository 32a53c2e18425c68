package org.erasediff.core.sampling;

/**
 * Receives progress from a {@link Sampler} after every denoising step, enough to draw a
 * progress bar or estimate the time left. Called one call at a time, on the sampling thread (on
 * a worker's thread when several chunks are sampled at once, in the order steps finish); keep it
 * cheap.
 */
@FunctionalInterface
public interface SamplingProgress {

    /** A listener that ignores every call. */
    SamplingProgress NONE = (chunk, chunks, step, steps) -> { };

    /**
     * Reports that a step has finished.
     *
     * @param chunk  the chunk being sampled, 1-based
     * @param chunks total number of chunks in this request
     * @param step   the step just completed, 1-based
     * @param steps  steps per chunk
     */
    void onStep(int chunk, int chunks, int step, int steps);
}
