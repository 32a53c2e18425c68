package org.erasediff.dl4j.loop;

/**
 * A run kept producing non-finite losses, gradients or parameters after every retry of the NaN
 * policy. The message lists each attempt; the input model is untouched and the last checkpoint
 * (if any) is intact.
 */
public final class TrainingDivergedException extends RuntimeException {

    /** @param message what diverged, where, and what to try */
    public TrainingDivergedException(String message) {
        super(message);
    }
}
