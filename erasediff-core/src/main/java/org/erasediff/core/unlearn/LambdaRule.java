package org.erasediff.core.unlearn;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.OptionalDouble;

/**
 * How EraseDiff chooses the multiplier λ ≥ 0 of the update direction δ = ∇F + λ∇q, where F is the
 * remaining loss and q(θ) = f(θ) − f(θ_K) the forgetting constraint (∇q = ∇f).
 *
 * <p>The two projection rules (BOME, Liu et al. 2022) pick a required progress φ ≥ 0 on the
 * constraint and take the δ closest to ∇F with ⟨∇q, δ⟩ ≥ φ, whose closed form is
 * λ = max((φ − ⟨∇F, ∇q⟩)/‖∇q‖², 0) ({@link ConstrainedDirection#projectionLambda(double,
 * GradientStats)}). When ‖∇q‖ = 0 every rule returns λ = 0: the constraint gradient gives no
 * direction to move in, and δ = ∇F is then the closest (and only sensible) choice; for BOME's
 * ratio the constraint 0 ≥ 0 even holds exactly.
 *
 * <table>
 *   <caption>The rules</caption>
 *   <tr><th>rule</th><th>λ</th><th>needs q (inner loop)</th><th>needs ∇F and ∇q apart</th></tr>
 *   <tr><td>{@link Fixed FIXED}(λ)</td><td>λ (default 0.1)</td><td>no</td>
 *       <td>no: ∇F + λ∇f is the gradient of one weighted loss</td></tr>
 *   <tr><td>{@link BomeRatio BOME_RATIO}(η)</td><td>max(η − ⟨∇F,∇q⟩/‖∇q‖², 0), φ = η‖∇q‖²</td>
 *       <td>no</td><td>yes</td></tr>
 *   <tr><td>{@link ValueGap VALUE_GAP}(η)</td><td>max((η·q⁺ − ⟨∇F,∇q⟩)/‖∇q‖², 0), φ = η·q⁺</td>
 *       <td>yes</td><td>yes</td></tr>
 *   <tr><td>{@link ReferenceCosine REFERENCE_COSINE}(η)</td><td>max(η − cos(∇F,∇q), 0) (default
 *       η = 0.1)</td><td>no</td><td>yes</td></tr>
 * </table>
 * q⁺ = max(q, 0): the true q is never negative (f(θ_K) approximates a minimum of f), so a negative
 * measured q (an inner loop that made f worse) is treated as 0.
 *
 * <p>JSON form: {@code {"type": "FIXED", "lambda": 0.1}}, {@code {"type": "BOME_RATIO", "eta": 0.5}},
 * {@code {"type": "VALUE_GAP", "eta": 1.0}}, {@code {"type": "REFERENCE_COSINE", "eta": 0.1}}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = LambdaRule.Fixed.class, name = "FIXED"),
        @JsonSubTypes.Type(value = LambdaRule.BomeRatio.class, name = "BOME_RATIO"),
        @JsonSubTypes.Type(value = LambdaRule.ValueGap.class, name = "VALUE_GAP"),
        @JsonSubTypes.Type(value = LambdaRule.ReferenceCosine.class, name = "REFERENCE_COSINE")
})
public sealed interface LambdaRule
        permits LambdaRule.Fixed, LambdaRule.BomeRatio, LambdaRule.ValueGap, LambdaRule.ReferenceCosine {

    /** The paper's default fixed multiplier. */
    double DEFAULT_LAMBDA = 0.1;

    /** The reference code's default η for the cosine rule. */
    double DEFAULT_COSINE_ETA = 0.1;

    /**
     * Computes λ for one step.
     *
     * @param stats the gradient statistics of this step
     * @return λ ≥ 0, finite
     * @throws IllegalStateException if the rule needs the constraint value q and {@code stats} has
     *                               none
     */
    double lambda(GradientStats stats);

    /**
     * The progress φ ≥ 0 that the direction must make on the constraint, ⟨∇q, δ⟩ ≥ φ, for the
     * projection rules.
     *
     * @param stats the gradient statistics of this step
     * @return φ for {@link BomeRatio} and {@link ValueGap}; empty for the rules that are not
     *         defined through a projection ({@link Fixed}, {@link ReferenceCosine})
     */
    OptionalDouble phi(GradientStats stats);

    /**
     * Whether λ depends on the constraint value q, which only the inner loop (K descent steps on
     * f) provides. When no rule or monitor needs q, the inner loop cannot change the update and
     * may be skipped.
     *
     * @return {@code true} only for {@link ValueGap}
     */
    boolean needsConstraintValue();

    /**
     * Whether λ depends on ∇F and ∇q separately. When it does not (fixed λ), ∇F + λ∇q is the
     * gradient of the single loss L_r + λ·L_f, computable in one backward pass over the remain and
     * forget batches stacked with per-sample weights.
     *
     * @return {@code false} only for {@link Fixed}
     */
    boolean needsSeparateGradients();

    /**
     * A fixed multiplier.
     *
     * @param lambda λ, {@code >= 0}
     * @return the rule
     */
    static Fixed fixed(double lambda) {
        return new Fixed(lambda);
    }

    /** The default rule: a fixed λ = {@value #DEFAULT_LAMBDA}. */
    static Fixed defaultRule() {
        return new Fixed(DEFAULT_LAMBDA);
    }

    /**
     * BOME's ratio rule, φ = η‖∇q‖².
     *
     * @param eta η, {@code >= 0}
     * @return the rule
     */
    static BomeRatio bomeRatio(double eta) {
        return new BomeRatio(eta);
    }

    /**
     * BOME's value-gap rule, φ = η·q.
     *
     * @param eta η, {@code >= 0}
     * @return the rule
     */
    static ValueGap valueGap(double eta) {
        return new ValueGap(eta);
    }

    /**
     * The reference code's cosine rule.
     *
     * @param eta η, {@code >= 0} (the reference uses {@value #DEFAULT_COSINE_ETA})
     * @return the rule
     */
    static ReferenceCosine referenceCosine(double eta) {
        return new ReferenceCosine(eta);
    }

    /**
     * A fixed λ, the paper's default. The update direction is ∇F + λ∇q whatever the gradients.
     *
     * @param lambda λ, {@code >= 0} and finite
     */
    record Fixed(double lambda) implements LambdaRule {

        /**
         * Validates λ.
         *
         * @throws IllegalArgumentException if λ is negative or not finite
         */
        public Fixed {
            requireNonNegative(lambda, "lambda");
        }

        @Override
        public double lambda(GradientStats stats) {
            return lambda;
        }

        @Override
        public OptionalDouble phi(GradientStats stats) {
            return OptionalDouble.empty();
        }

        @Override
        public boolean needsConstraintValue() {
            return false;
        }

        @Override
        public boolean needsSeparateGradients() {
            return false;
        }
    }

    /**
     * BOME's default rule: φ = η‖∇q‖², so λ = max(η − ⟨∇F,∇q⟩/‖∇q‖², 0).
     *
     * @param eta η, {@code >= 0} and finite
     */
    record BomeRatio(double eta) implements LambdaRule {

        /**
         * Validates η.
         *
         * @throws IllegalArgumentException if η is negative or not finite
         */
        public BomeRatio {
            requireNonNegative(eta, "eta");
        }

        @Override
        public double lambda(GradientStats stats) {
            return ConstrainedDirection.projectionLambda(eta * stats.normQSquared(), stats);
        }

        @Override
        public OptionalDouble phi(GradientStats stats) {
            return OptionalDouble.of(eta * stats.normQSquared());
        }

        @Override
        public boolean needsConstraintValue() {
            return false;
        }

        @Override
        public boolean needsSeparateGradients() {
            return true;
        }
    }

    /**
     * BOME's value-gap rule: φ = η·max(q, 0), so λ = max((η·q − ⟨∇F,∇q⟩)/‖∇q‖², 0).
     *
     * @param eta η, {@code >= 0} and finite
     */
    record ValueGap(double eta) implements LambdaRule {

        /**
         * Validates η.
         *
         * @throws IllegalArgumentException if η is negative or not finite
         */
        public ValueGap {
            requireNonNegative(eta, "eta");
        }

        @Override
        public double lambda(GradientStats stats) {
            return ConstrainedDirection.projectionLambda(phiOf(stats), stats);
        }

        @Override
        public OptionalDouble phi(GradientStats stats) {
            return OptionalDouble.of(phiOf(stats));
        }

        private double phiOf(GradientStats stats) {
            return eta * Math.max(stats.q(), 0.0);
        }

        @Override
        public boolean needsConstraintValue() {
            return true;
        }

        @Override
        public boolean needsSeparateGradients() {
            return true;
        }
    }

    /**
     * The EraseDiff reference code's adaptive rule: λ = max(η − cos(∇F, ∇q), 0); λ = 0 when ∇q = 0,
     * and cos = 0 (so λ = η) when ∇F = 0. Not a projection: it guarantees no particular ⟨∇q, δ⟩.
     *
     * @param eta η, {@code >= 0} and finite
     */
    record ReferenceCosine(double eta) implements LambdaRule {

        /**
         * Validates η.
         *
         * @throws IllegalArgumentException if η is negative or not finite
         */
        public ReferenceCosine {
            requireNonNegative(eta, "eta");
        }

        @Override
        public double lambda(GradientStats stats) {
            if (stats.normQSquared() == 0.0) {
                return 0.0;
            }
            return Math.max(eta - stats.cosine(), 0.0);
        }

        @Override
        public OptionalDouble phi(GradientStats stats) {
            return OptionalDouble.empty();
        }

        @Override
        public boolean needsConstraintValue() {
            return false;
        }

        @Override
        public boolean needsSeparateGradients() {
            return true;
        }
    }

    private static void requireNonNegative(double value, String name) {
        if (!(value >= 0.0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be >= 0 and finite, was " + value);
        }
    }
}
