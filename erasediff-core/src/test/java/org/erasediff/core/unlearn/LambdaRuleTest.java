package org.erasediff.core.unlearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class LambdaRuleTest {

    // ∇F = (1, 2 | 3), ∇q = (1, 0 | 1): ⟨∇F,∇q⟩ = 4, ‖∇F‖² = 14, ‖∇q‖² = 2
    private static final GradientStats STATS = GradientStats.of(4.0, 14.0, 2.0);

    @Test
    void fixedIgnoresTheGradients() {
        assertEquals(0.1, LambdaRule.defaultRule().lambda(STATS));
        assertEquals(0.7, LambdaRule.fixed(0.7).lambda(GradientStats.of(-3.0, 1.0, 9.0)));
        assertTrue(LambdaRule.fixed(0.7).phi(STATS).isEmpty());
    }

    @Test
    void bomeRatioMatchesHandComputedValues() {
        // η = 3: φ = 3·2 = 6, λ = max(3 − 4/2, 0) = 1
        assertEquals(1.0, LambdaRule.bomeRatio(3.0).lambda(STATS), 1e-15);
        assertEquals(6.0, LambdaRule.bomeRatio(3.0).phi(STATS).getAsDouble(), 1e-15);
        // η = 1: ⟨∇F,∇q⟩ = 4 ≥ φ = 2 already, λ = 0
        assertEquals(0.0, LambdaRule.bomeRatio(1.0).lambda(STATS));
    }

    @Test
    void valueGapMatchesHandComputedValues() {
        // η = 2, q = 5: φ = 10, λ = (10 − 4)/2 = 3
        GradientStats withQ = GradientStats.of(4.0, 14.0, 2.0, 5.0);
        assertEquals(3.0, LambdaRule.valueGap(2.0).lambda(withQ), 1e-15);
        assertEquals(10.0, LambdaRule.valueGap(2.0).phi(withQ).getAsDouble(), 1e-15);
        // q = 1: φ = 2 ≤ 4, constraint holds, λ = 0
        assertEquals(0.0, LambdaRule.valueGap(2.0).lambda(GradientStats.of(4.0, 14.0, 2.0, 1.0)));
        // a negative measured q counts as 0: φ = 0; with ⟨∇F,∇q⟩ = −4, λ = (0 + 4)/2 = 2
        GradientStats negativeQ = GradientStats.of(-4.0, 14.0, 2.0, -3.0);
        assertEquals(0.0, LambdaRule.valueGap(2.0).phi(negativeQ).getAsDouble());
        assertEquals(2.0, LambdaRule.valueGap(2.0).lambda(negativeQ), 1e-15);
    }

    @Test
    void valueGapWithoutQIsMisuse() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LambdaRule.valueGap(1.0).lambda(STATS));
        assertTrue(e.getMessage().contains("q = f(θ) − f(θ_K) was not measured"), e.getMessage());
    }

    @Test
    void referenceCosineMatchesHandComputedValues() {
        // cos = 4/(√14·√2) ≈ 0.756 > η = 0.1: λ = 0
        assertEquals(0.0, LambdaRule.referenceCosine(0.1).lambda(STATS));
        // ∇q = (−1, 0 | 0): ⟨∇F,∇q⟩ = −1, ‖∇q‖² = 1, cos = −1/√14, λ = 0.1 + 1/√14
        GradientStats opposed = GradientStats.of(-1.0, 14.0, 1.0);
        assertEquals(0.1 + 1.0 / Math.sqrt(14.0), LambdaRule.referenceCosine(0.1).lambda(opposed), 1e-15);
        // ∇F = 0: cos taken as 0, λ = η
        assertEquals(0.1, LambdaRule.referenceCosine(0.1).lambda(GradientStats.of(0.0, 0.0, 2.0)));
        assertTrue(LambdaRule.referenceCosine(0.1).phi(STATS).isEmpty());
    }

    @Test
    void everyRuleGivesZeroForAZeroConstraintGradient() {
        GradientStats zeroQ = GradientStats.of(0.0, 14.0, 0.0, 5.0);
        for (LambdaRule rule : List.of(LambdaRule.bomeRatio(3.0), LambdaRule.valueGap(2.0),
                LambdaRule.referenceCosine(0.1))) {
            assertEquals(0.0, rule.lambda(zeroQ), rule.toString());
        }
    }

    @Test
    void declaresWhatEachRuleNeeds() {
        assertFalse(LambdaRule.fixed(0.1).needsConstraintValue());
        assertFalse(LambdaRule.fixed(0.1).needsSeparateGradients());
        assertFalse(LambdaRule.bomeRatio(1).needsConstraintValue());
        assertTrue(LambdaRule.bomeRatio(1).needsSeparateGradients());
        assertTrue(LambdaRule.valueGap(1).needsConstraintValue());
        assertTrue(LambdaRule.valueGap(1).needsSeparateGradients());
        assertFalse(LambdaRule.referenceCosine(0.1).needsConstraintValue());
        assertTrue(LambdaRule.referenceCosine(0.1).needsSeparateGradients());
    }

    @Test
    void rejectsNegativeOrNonFiniteParameters() {
        IllegalArgumentException lambda = assertThrows(IllegalArgumentException.class, () -> LambdaRule.fixed(-0.5));
        assertEquals("lambda must be >= 0 and finite, was -0.5", lambda.getMessage());
        IllegalArgumentException eta = assertThrows(IllegalArgumentException.class,
                () -> LambdaRule.bomeRatio(Double.NaN));
        assertEquals("eta must be >= 0 and finite, was NaN", eta.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LambdaRule.valueGap(-1));
        assertThrows(IllegalArgumentException.class, () -> LambdaRule.referenceCosine(Double.POSITIVE_INFINITY));
    }

    @Test
    void statsRejectNonFiniteAndNegativeValues() {
        NonFiniteGradientException nan = assertThrows(NonFiniteGradientException.class,
                () -> GradientStats.of(Double.NaN, 1.0, 1.0));
        assertTrue(nan.getMessage().startsWith("dotFq must be finite, was NaN"), nan.getMessage());
        NonFiniteGradientException inf = assertThrows(NonFiniteGradientException.class,
                () -> GradientStats.of(1.0, 1.0, Double.POSITIVE_INFINITY));
        assertTrue(inf.getMessage().startsWith("normQSquared must be finite"), inf.getMessage());
        assertThrows(NonFiniteGradientException.class, () -> GradientStats.of(1.0, 1.0, 1.0, Double.NaN));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> GradientStats.of(1.0, -1.0, 1.0));
        assertEquals("normFSquared must be >= 0, was -1.0", negative.getMessage());
    }

    @Test
    void jsonRoundTripKeepsTypeAndParameter() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (LambdaRule rule : List.of(LambdaRule.fixed(0.25), LambdaRule.bomeRatio(0.5), LambdaRule.valueGap(2.0),
                LambdaRule.referenceCosine(0.1))) {
            String text = json.writeValueAsString(rule);
            assertEquals(rule, json.readValue(text, LambdaRule.class), text);
        }
        assertEquals("{\"type\":\"FIXED\",\"lambda\":0.25}", json.writeValueAsString(LambdaRule.fixed(0.25)));
        assertEquals(LambdaRule.bomeRatio(0.5), json.readValue("{\"type\":\"BOME_RATIO\",\"eta\":0.5}", LambdaRule.class));
    }
}
