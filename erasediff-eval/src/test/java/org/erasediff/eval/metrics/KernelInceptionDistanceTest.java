package org.erasediff.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class KernelInceptionDistanceTest {

    private static final KidConfig CONFIG = KidConfig.builder().optSubsetSize(100).optNumSubsets(40).optSeed(7).build();

    @Test
    void nearZeroForTwoSamplesOfOneDistribution() {
        double[][] x = TestData.gaussian(300, 8, 0, 1, 1);
        double[][] y = TestData.gaussian(300, 8, 0, 1, 2);
        KidResult kid = KernelInceptionDistance.compute(x, y, CONFIG);
        assertTrue(Math.abs(kid.mean()) <= 3 * kid.standardError(),
                "mean " + kid.mean() + " should be within 3 standard errors " + kid.standardError());
        assertEquals(100, kid.subsetSize());
        assertEquals(40, kid.numSubsets());
        assertEquals(kid.standardDeviation() / Math.sqrt(40), kid.standardError(), 1e-15);
    }

    @Test
    void clearlyPositiveForShiftedDistribution() {
        double[][] x = TestData.gaussian(300, 8, 0, 1, 1);
        double[][] y = TestData.gaussian(300, 8, 0.7, 1, 2);
        KidResult kid = KernelInceptionDistance.compute(x, y, CONFIG);
        assertTrue(kid.mean() > 10 * kid.standardError(),
                "mean " + kid.mean() + " should exceed 10 standard errors " + kid.standardError());
    }

    @Test
    void unbiasedEstimateMatchesHandComputation() {
        // D = 1, k(a, b) = (a·b + 1)³; x = {0, 1}, y = {1, 2}
        double[][] x = {{0}, {1}};
        double[][] y = {{1}, {2}};
        double kxx = 1; // k(0, 1)
        double kyy = 27; // k(1, 2)
        double kxy = 1 + 1 + 8 + 27; // k(0,1) + k(0,2) + k(1,1) + k(1,2)
        double expected = kxx + kyy - 2 * kxy / 4;
        assertEquals(expected, KernelInceptionDistance.unbiasedMmd2(x, y, 1), 1e-12);
    }

    @Test
    void seededAndReducesSubsetToSmallerSet() {
        double[][] x = TestData.gaussian(30, 4, 0, 1, 3);
        double[][] y = TestData.gaussian(50, 4, 0.2, 1, 4);
        KidResult a = KernelInceptionDistance.compute(x, y, CONFIG);
        KidResult b = KernelInceptionDistance.compute(Nd4j.createFromArray(x), Nd4j.createFromArray(y), CONFIG);
        assertEquals(a, b);
        assertEquals(30, a.subsetSize());
        KidResult other = KernelInceptionDistance.compute(x, y,
                KidConfig.builder().optSubsetSize(20).optNumSubsets(40).optSeed(8).build());
        assertTrue(other.mean() != a.mean(), "a different seed and size should draw different subsets");
    }

    @Test
    void configValidatesAndRoundTripsThroughJson() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> KidConfig.builder().optSubsetSize(1).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KidConfig.builder().optNumSubsets(1).build());
        assertTrue(e.getMessage().contains("numSubsets"), e.getMessage());
        ObjectMapper mapper = new ObjectMapper();
        assertEquals(CONFIG, mapper.readValue(mapper.writeValueAsString(CONFIG), KidConfig.class));
        assertEquals(new KidConfig(1000, 100, 0), KidConfig.defaults());
    }
}
