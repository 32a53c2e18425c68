package org.erasediff.dl4j.unlearn;

/**
 * Unlearning produced non-finite losses, gradients or parameters at one step more often than the
 * NaN policy allows, even after rolling back and lowering the step size. The message reports the
 * step, the values seen and the step sizes tried; the model given to the unlearner is untouched.
 */
public class UnlearningDivergedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message the report */
    public UnlearningDivergedException(String message) {
        super(message);
    }
}
