package org.erasediff.core.unlearn;

import java.util.List;
import org.erasediff.core.optim.GradientVectors;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * EraseDiff's update direction (Eq. 5 and Theorem 1 of the paper): the vector closest to ∇F
 * whose inner product with ∇q is at least φ ≥ 0 is δ = ∇F + λ∇q with
 * λ = max((φ − ⟨∇F, ∇q⟩)/‖∇q‖², 0). The parameters then move by −ζ·δ (or δ is fed to Adam).
 *
 * <p>Gradients are lists of per-parameter arrays in a fixed order ({@link GradientVectors}). The
 * direction is written into the ∇F arrays in place; nothing but scalars is allocated. Stateless.
 */
public final class ConstrainedDirection {

    private ConstrainedDirection() {
    }

    /**
     * Measures ⟨∇F, ∇q⟩, ‖∇F‖² and ‖∇q‖² (without a constraint value).
     *
     * @param gradF gradients of the remaining loss; not modified
     * @param gradQ gradients of the constraint (= of the forgetting loss), paired with {@code gradF};
     *              not modified
     * @return the statistics
     * @throws NonFiniteGradientException if a gradient holds NaN or infinite values
     * @throws IllegalArgumentException   if the lists are not paired
     */
    public static GradientStats measure(List<INDArray> gradF, List<INDArray> gradQ) {
        return GradientStats.of(GradientVectors.dot(gradF, gradQ),
                GradientVectors.squaredNorm(gradF), GradientVectors.squaredNorm(gradQ));
    }

    /**
     * Measures ⟨∇F, ∇q⟩, ‖∇F‖² and ‖∇q‖² and records the constraint value q.
     *
     * @param gradF gradients of the remaining loss; not modified
     * @param gradQ gradients of the constraint, paired with {@code gradF}; not modified
     * @param q     the constraint value f(θ) − f(θ_K) from the inner loop
     * @return the statistics
     * @throws NonFiniteGradientException if a gradient or {@code q} is NaN or infinite
     * @throws IllegalArgumentException   if the lists are not paired
     */
    public static GradientStats measure(List<INDArray> gradF, List<INDArray> gradQ, double q) {
        return GradientStats.of(GradientVectors.dot(gradF, gradQ),
                GradientVectors.squaredNorm(gradF), GradientVectors.squaredNorm(gradQ), q);
    }

    /**
     * The closed-form multiplier of the projection of ∇F onto {δ : ⟨∇q, δ⟩ ≥ φ}:
     * λ = max((φ − ⟨∇F, ∇q⟩)/‖∇q‖², 0). λ is 0 when ∇F already satisfies the constraint, and 0
     * when ∇q = 0 (the constraint then either holds for every δ, φ = 0, or for none, φ > 0; in both
     * cases ∇F is returned unchanged).
     *
     * @param phi   the required progress φ, {@code >= 0} and finite
     * @param stats the gradient statistics
     * @return λ ≥ 0
     * @throws IllegalArgumentException if φ is negative or not finite
     */
    public static double projectionLambda(double phi, GradientStats stats) {
        if (!(phi >= 0.0) || !Double.isFinite(phi)) {
            throw new IllegalArgumentException("phi must be >= 0 and finite, was " + phi);
        }
        if (stats.normQSquared() == 0.0) {
            return 0.0;
        }
        return Math.max((phi - stats.dotFq()) / stats.normQSquared(), 0.0);
    }

    /**
     * Forms δ = ∇F + λ∇q in place of ∇F.
     *
     * @param gradF  gradients of the remaining loss; overwritten with δ
     * @param lambda λ, {@code >= 0} and finite
     * @param gradQ  gradients of the constraint, paired with {@code gradF}; not modified
     * @throws IllegalArgumentException if λ is negative or not finite or the lists are not paired
     */
    public static void combineInPlace(List<INDArray> gradF, double lambda, List<INDArray> gradQ) {
        if (!(lambda >= 0.0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda must be >= 0 and finite, was " + lambda);
        }
        GradientVectors.addScaledInPlace(gradF, lambda, gradQ);
    }

    /**
     * Computes λ with a rule and forms δ = ∇F + λ∇q in place of ∇F.
     *
     * @param rule  the λ rule
     * @param gradF gradients of the remaining loss; overwritten with δ
     * @param gradQ gradients of the constraint, paired with {@code gradF}; not modified
     * @param stats the statistics of these gradients (from {@link #measure})
     * @return the λ used
     * @throws IllegalStateException    if the rule needs q and {@code stats} has none
     * @throws IllegalArgumentException if the lists are not paired
     */
    public static double applyInPlace(LambdaRule rule, List<INDArray> gradF, List<INDArray> gradQ,
                                      GradientStats stats) {
        double lambda = rule.lambda(stats);
        combineInPlace(gradF, lambda, gradQ);
        return lambda;
    }
}
