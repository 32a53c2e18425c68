package org.erasediff.core.unlearn;

/**
 * Thrown when a loss, a gradient statistic or a constraint value is NaN or infinite. It is an
 * {@link IllegalArgumentException} (the values are bad input to the maths) with its own type, so a
 * training loop can catch it and apply its NaN policy while still failing on programming errors.
 */
public final class NonFiniteGradientException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which value was non-finite and what it was
     */
    public NonFiniteGradientException(String message) {
        super(message);
    }
}
