package org.erasediff.core.unlearn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.erasediff.core.optim.GradientVectors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ConstrainedDirectionTest {

    /** Three parameters split over two arrays: (v0, v1 | v2). */
    private static List<INDArray> split(double[] v) {
        return List.of(Nd4j.createFromArray(v[0], v[1]), Nd4j.createFromArray(new double[][]{{v[2]}}));
    }

    private static double[] flat(List<INDArray> g) {
        return new double[]{g.get(0).getDouble(0), g.get(0).getDouble(1), g.get(1).getDouble(0)};
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double distanceSquared(double[] a, double[] b) {
        double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
        return dx * dx + dy * dy + dz * dz;
    }

    @Test
    void measureReadsAllArrays() {
        GradientStats s = ConstrainedDirection.measure(split(new double[]{1, 2, 3}), split(new double[]{1, 0, 1}), 0.5);
        assertEquals(4.0, s.dotFq(), 1e-12);
        assertEquals(14.0, s.normFSquared(), 1e-12);
        assertEquals(2.0, s.normQSquared(), 1e-12);
        assertEquals(0.5, s.q());
        assertTrue(ConstrainedDirection.measure(split(new double[]{1, 2, 3}), split(new double[]{1, 0, 1}))
                .constraintValue().isEmpty());
    }

    @Test
    void bomeDirectionMatchesHandComputedValue() {
        List<INDArray> gradF = split(new double[]{1, 2, 3});
        List<INDArray> gradQ = split(new double[]{1, 0, 1});
        LambdaRule rule = LambdaRule.bomeRatio(3.0);
        GradientStats stats = ConstrainedDirection.measure(gradF, gradQ);
        double lambda = ConstrainedDirection.applyInPlace(rule, gradF, gradQ, stats);
        assertEquals(1.0, lambda, 1e-12);
        // δ = (1, 2, 3) + 1·(1, 0, 1)
        assertArrayEquals(new double[]{2, 2, 4}, flat(gradF), 1e-12);
        // ⟨∇q, δ⟩ = 6 = φ: the constraint is active
        assertEquals(rule.phi(stats).getAsDouble(), GradientVectors.dot(gradQ, gradF), 1e-12);
        assertArrayEquals(new double[]{1, 0, 1}, flat(gradQ), 0.0);
    }

    @Test
    void valueGapDirectionMatchesHandComputedValue() {
        List<INDArray> gradF = split(new double[]{1, 2, 3});
        List<INDArray> gradQ = split(new double[]{1, 0, 1});
        GradientStats stats = ConstrainedDirection.measure(gradF, gradQ, 5.0);
        double lambda = ConstrainedDirection.applyInPlace(LambdaRule.valueGap(2.0), gradF, gradQ, stats);
        assertEquals(3.0, lambda, 1e-12);
        assertArrayEquals(new double[]{4, 2, 6}, flat(gradF), 1e-12);
        assertEquals(10.0, GradientVectors.dot(gradQ, gradF), 1e-12);
    }

    @Test
    void fixedAndCosineDirectionsMatchHandComputedValues() {
        List<INDArray> gradF = split(new double[]{1, 2, 3});
        List<INDArray> gradQ = split(new double[]{-1, 0, 0});
        ConstrainedDirection.applyInPlace(LambdaRule.fixed(0.5), gradF, gradQ,
                ConstrainedDirection.measure(gradF, gradQ));
        assertArrayEquals(new double[]{0.5, 2, 3}, flat(gradF), 1e-12);

        List<INDArray> gradF2 = split(new double[]{1, 2, 3});
        double lambda = ConstrainedDirection.applyInPlace(LambdaRule.referenceCosine(0.1), gradF2, gradQ,
                ConstrainedDirection.measure(gradF2, gradQ));
        double expected = 0.1 + 1.0 / Math.sqrt(14.0);
        assertEquals(expected, lambda, 1e-12);
        assertArrayEquals(new double[]{1 - expected, 2, 3}, flat(gradF2), 1e-12);
    }

    @Test
    void satisfiedConstraintLeavesTheGradientUnchanged() {
        List<INDArray> gradF = split(new double[]{1, 2, 3});
        List<INDArray> gradQ = split(new double[]{1, 0, 1});
        double lambda = ConstrainedDirection.applyInPlace(LambdaRule.bomeRatio(1.0), gradF, gradQ,
                ConstrainedDirection.measure(gradF, gradQ));
        assertEquals(0.0, lambda);
        assertArrayEquals(new double[]{1, 2, 3}, flat(gradF), 0.0);
    }

    @Test
    void zeroConstraintGradientGivesLambdaZero() {
        List<INDArray> gradF = split(new double[]{1, 2, 3});
        List<INDArray> gradQ = split(new double[]{0, 0, 0});
        GradientStats stats = ConstrainedDirection.measure(gradF, gradQ, 4.0);
        assertEquals(0.0, ConstrainedDirection.projectionLambda(10.0, stats));
        assertEquals(0.0, ConstrainedDirection.applyInPlace(LambdaRule.valueGap(1.0), gradF, gradQ, stats));
        assertArrayEquals(new double[]{1, 2, 3}, flat(gradF), 0.0);
    }

    @Test
    void nonFiniteGradientsAreReportedClearly() {
        List<INDArray> gradF = split(new double[]{1, Double.NaN, 3});
        List<INDArray> gradQ = split(new double[]{1, 0, 1});
        NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class,
                () -> ConstrainedDirection.measure(gradF, gradQ));
        assertTrue(e.getMessage().contains("must be finite, was NaN"), e.getMessage());
    }

    @Test
    void rejectsNegativeLambdaAndPhi() {
        List<INDArray> gradF = split(new double[]{1, 2, 3});
        IllegalArgumentException lambda = assertThrows(IllegalArgumentException.class,
                () -> ConstrainedDirection.combineInPlace(gradF, -1.0, split(new double[]{1, 0, 1})));
        assertEquals("lambda must be >= 0 and finite, was -1.0", lambda.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ConstrainedDirection.projectionLambda(-0.1, GradientStats.of(1, 1, 1)));
    }

    /**
     * On random cases, δ must (1) satisfy ⟨∇q, δ⟩ ≥ φ, (2) satisfy the KKT conditions of
     * min ‖δ − ∇F‖² s.t. ⟨∇q, δ⟩ ≥ φ, (3) agree with an independent penalty-method solver, and
     * (4) be closer to ∇F than random feasible perturbations of itself.
     */
    @Test
    void directionIsTheClosestFeasibleVectorOnRandomCases() {
        SplittableRandom rng = new SplittableRandom(20240105L);
        int activeCases = 0;
        for (int trial = 0; trial < 40; trial++) {
            double[] f = {rng.nextDouble(-2, 2), rng.nextDouble(-2, 2), rng.nextDouble(-2, 2)};
            double[] q = {rng.nextDouble(-2, 2), rng.nextDouble(-2, 2), rng.nextDouble(-2, 2)};
            LambdaRule rule = trial % 2 == 0 ? LambdaRule.bomeRatio(rng.nextDouble(0, 2))
                    : LambdaRule.valueGap(rng.nextDouble(0, 2));
            List<INDArray> gradF = split(f);
            List<INDArray> gradQ = split(q);
            GradientStats stats = ConstrainedDirection.measure(gradF, gradQ, rng.nextDouble(0, 3));
            double phi = rule.phi(stats).getAsDouble();
            double lambda = ConstrainedDirection.applyInPlace(rule, gradF, gradQ, stats);
            double[] delta = flat(gradF);

            // (1) feasibility
            double progress = dot(q, delta);
            assertTrue(progress >= phi - 1e-9, "⟨∇q, δ⟩ = " + progress + " < φ = " + phi);
            // (2) KKT: δ − ∇F = λ∇q with λ ≥ 0, and λ·(⟨∇q, δ⟩ − φ) = 0
            for (int i = 0; i < 3; i++) {
                assertEquals(lambda * q[i], delta[i] - f[i], 1e-12);
            }
            assertTrue(lambda >= 0.0);
            assertEquals(0.0, lambda * (progress - phi), 1e-9);
            if (lambda > 0) {
                activeCases++;
            }
            // (3) independent solver
            double[] penalty = penaltyProjection(f, q, phi);
            assertArrayEquals(delta, penalty, 1e-4, "trial " + trial);
            // (4) random feasible perturbations are farther from ∇F
            double best = distanceSquared(delta, f);
            for (int k = 0; k < 200; k++) {
                double[] other = {delta[0] + rng.nextDouble(-1, 1), delta[1] + rng.nextDouble(-1, 1),
                        delta[2] + rng.nextDouble(-1, 1)};
                if (dot(q, other) >= phi) {
                    assertTrue(distanceSquared(other, f) >= best - 1e-12);
                }
            }
        }
        assertTrue(activeCases >= 10, "too few cases with an active constraint: " + activeCases);
    }

    /**
     * Minimises ‖δ − f‖² + μ·max(0, φ − ⟨q, δ⟩)² by gradient descent for growing μ: the quadratic
     * penalty method, which knows nothing of the closed form.
     */
    private static double[] penaltyProjection(double[] f, double[] q, double phi) {
        double[] d = f.clone();
        double qq = dot(q, q);
        for (double mu = 1; mu <= 1e8; mu *= 10) {
            double step = 0.5 / (1 + mu * qq); // below 1/L for L = 2 + 2μ‖q‖²
            for (int it = 0; it < 2000; it++) {
                double violation = Math.max(0.0, phi - dot(q, d));
                for (int i = 0; i < 3; i++) {
                    double grad = 2 * (d[i] - f[i]) - 2 * mu * violation * q[i];
                    d[i] -= step * grad;
                }
            }
        }
        return d;
    }
}
