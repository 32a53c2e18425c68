package org.erasediff.core.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a training loop does when a loss or gradient turns out NaN or infinite: restore the
 * parameters and optimiser state from before the step and retry it with the step sizes (the
 * learning rate, and EraseDiff's inner step size) multiplied by {@code stepSizeBackoff}, at most
 * {@code maxRetries} times; after that the run fails.
 *
 * <p>Defaults ({@link #defaults()}): {@value #DEFAULT_MAX_RETRIES} retries, back-off
 * {@value #DEFAULT_STEP_SIZE_BACKOFF}. In JSON, absent fields take these defaults.
 *
 * @param maxRetries      retries per step, {@code >= 0} ({@code 0}: fail at the first NaN)
 * @param stepSizeBackoff factor applied to the step sizes at each retry, in {@code (0, 1]}
 */
public record NanPolicy(int maxRetries, double stepSizeBackoff) {

    /** Default number of retries. */
    public static final int DEFAULT_MAX_RETRIES = 3;
    /** Default step-size factor per retry. */
    public static final double DEFAULT_STEP_SIZE_BACKOFF = 0.5;

    /**
     * Validates the policy.
     *
     * @throws IllegalArgumentException naming the field outside its allowed range
     */
    public NanPolicy {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0, was " + maxRetries);
        }
        if (!(stepSizeBackoff > 0.0 && stepSizeBackoff <= 1.0)) {
            throw new IllegalArgumentException("stepSizeBackoff must be in (0, 1], was " + stepSizeBackoff);
        }
    }

    /**
     * JSON factory: absent fields take the documented defaults.
     *
     * @param maxRetries      default {@value #DEFAULT_MAX_RETRIES}
     * @param stepSizeBackoff default {@value #DEFAULT_STEP_SIZE_BACKOFF}
     * @return the validated policy
     */
    @JsonCreator
    public static NanPolicy fromJson(@JsonProperty("maxRetries") Integer maxRetries,
                                     @JsonProperty("stepSizeBackoff") Double stepSizeBackoff) {
        return new NanPolicy(maxRetries == null ? DEFAULT_MAX_RETRIES : maxRetries,
                stepSizeBackoff == null ? DEFAULT_STEP_SIZE_BACKOFF : stepSizeBackoff);
    }

    /** The default policy: {@value #DEFAULT_MAX_RETRIES} retries, halving the step sizes each time. */
    public static NanPolicy defaults() {
        return new NanPolicy(DEFAULT_MAX_RETRIES, DEFAULT_STEP_SIZE_BACKOFF);
    }

    /**
     * The step-size factor to use at a given retry: {@code stepSizeBackoff^retry}.
     *
     * @param retry the retry number, {@code 0} for the first attempt, at most {@code maxRetries}
     * @return the factor to multiply the configured step sizes by
     * @throws IllegalArgumentException if {@code retry} is outside {@code [0, maxRetries]}
     */
    public double stepSizeFactor(int retry) {
        if (retry < 0 || retry > maxRetries) {
            throw new IllegalArgumentException("retry must be in [0, " + maxRetries + "], was " + retry);
        }
        return Math.pow(stepSizeBackoff, retry);
    }
}
