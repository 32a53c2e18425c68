package org.erasediff.core.unlearn;

import java.util.OptionalDouble;

/**
 * The few numbers a {@link LambdaRule} needs about the gradients of the remaining loss F and the
 * constraint q (whose gradient equals the forgetting loss's, ∇q = ∇f): their inner product, their
 * squared norms and, when the inner loop ran, the constraint value q = f(θ) − f(θ_K).
 * Immutable; computed from gradient lists by {@link ConstrainedDirection#measure(java.util.List,
 * java.util.List)}.
 *
 * @param dotFq           ⟨∇F, ∇q⟩
 * @param normFSquared    ‖∇F‖², {@code >= 0}
 * @param normQSquared    ‖∇q‖², {@code >= 0}
 * @param constraintValue q, present only when it was measured
 */
public record GradientStats(double dotFq, double normFSquared, double normQSquared, OptionalDouble constraintValue) {

    /**
     * Validates the statistics.
     *
     * @throws NonFiniteGradientException if a value is NaN or infinite
     * @throws IllegalArgumentException   if a squared norm is negative or {@code constraintValue}
     *                                    is {@code null}
     */
    public GradientStats {
        requireFinite(dotFq, "dotFq");
        requireFinite(normFSquared, "normFSquared");
        requireFinite(normQSquared, "normQSquared");
        if (normFSquared < 0.0) {
            throw new IllegalArgumentException("normFSquared must be >= 0, was " + normFSquared);
        }
        if (normQSquared < 0.0) {
            throw new IllegalArgumentException("normQSquared must be >= 0, was " + normQSquared);
        }
        if (constraintValue == null) {
            throw new IllegalArgumentException("constraintValue must be present or empty, was null");
        }
        if (constraintValue.isPresent()) {
            requireFinite(constraintValue.getAsDouble(), "constraintValue q");
        }
    }

    /**
     * Statistics without a constraint value (no inner loop ran).
     *
     * @param dotFq        ⟨∇F, ∇q⟩
     * @param normFSquared ‖∇F‖²
     * @param normQSquared ‖∇q‖²
     * @return the validated statistics
     */
    public static GradientStats of(double dotFq, double normFSquared, double normQSquared) {
        return new GradientStats(dotFq, normFSquared, normQSquared, OptionalDouble.empty());
    }

    /**
     * Statistics with a measured constraint value.
     *
     * @param dotFq        ⟨∇F, ∇q⟩
     * @param normFSquared ‖∇F‖²
     * @param normQSquared ‖∇q‖²
     * @param q            f(θ) − f(θ_K)
     * @return the validated statistics
     */
    public static GradientStats of(double dotFq, double normFSquared, double normQSquared, double q) {
        return new GradientStats(dotFq, normFSquared, normQSquared, OptionalDouble.of(q));
    }

    /**
     * The constraint value q.
     *
     * @return q
     * @throws IllegalStateException if it was not measured
     */
    public double q() {
        if (constraintValue.isEmpty()) {
            throw new IllegalStateException("the constraint value q = f(θ) − f(θ_K) was not measured: "
                    + "run the inner loop and build the statistics with GradientStats.of(dot, ‖∇F‖², ‖∇q‖², q)");
        }
        return constraintValue.getAsDouble();
    }

    /**
     * cos(∇F, ∇q), clamped to [−1, 1] against rounding; {@code 0} when either gradient is zero
     * (the angle is undefined; 0 is what PyTorch's {@code cosine_similarity} returns then).
     *
     * @return the cosine
     */
    public double cosine() {
        if (normFSquared == 0.0 || normQSquared == 0.0) {
            return 0.0;
        }
        double c = dotFq / (Math.sqrt(normFSquared) * Math.sqrt(normQSquared));
        return Math.max(-1.0, Math.min(1.0, c));
    }

    private static void requireFinite(double value, String name) {
        if (!Double.isFinite(value)) {
            throw new NonFiniteGradientException(name + " must be finite, was " + value
                    + " (a loss or gradient overflowed or became NaN)");
        }
    }
}
