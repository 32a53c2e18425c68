package org.erasediff.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ClassifierMetricsTest {

    @Test
    void entropyBounds() {
        assertEquals(0.0, ClassifierMetrics.entropy(new double[] {0, 0, 1, 0}));
        double[] uniform = new double[10];
        java.util.Arrays.fill(uniform, 0.1);
        assertEquals(Math.log(10), ClassifierMetrics.entropy(uniform), 1e-12);
        assertEquals(Math.log(2), ClassifierMetrics.entropy(new double[] {0.5, 0.5}), 1e-15);
        double h = ClassifierMetrics.entropy(new double[] {0.7, 0.2, 0.1});
        assertEquals(-(0.7 * Math.log(0.7) + 0.2 * Math.log(0.2) + 0.1 * Math.log(0.1)), h, 1e-15);
    }

    @Test
    void forgettingMetricsOfOneHotAndUniformRows() {
        double[][] probs = {
            {0, 1, 0, 0},
            {0.25, 0.25, 0.25, 0.25},
            {1, 0, 0, 0},
            {0.1, 0.6, 0.2, 0.1},
        };
        ForgettingMetrics m = ClassifierMetrics.forgetting(probs, 1);
        assertEquals((1 + 0.25 + 0 + 0.6) / 4, m.meanTargetProbability(), 1e-15);
        assertEquals(0.5, m.argmaxRate()); // rows 0 and 3; row 1 ties go to class 0
        double h3 = ClassifierMetrics.entropy(probs[3]);
        assertEquals((Math.log(4) + h3) / 4, m.meanEntropy(), 1e-15);
        assertEquals(m.meanEntropy() / Math.log(4), m.normalisedEntropy(), 1e-15);
        assertEquals(4, m.count());
        assertEquals(4, m.numClasses());
        assertEquals(m.meanTargetProbability(), m.toScalars().get("p_target"));
    }

    @Test
    void perImageTargetsAndIndarrayInput() {
        double[][] probs = {{0.9, 0.1}, {0.2, 0.8}, {0.6, 0.4}};
        ForgettingMetrics m = ClassifierMetrics.forgetting(probs, new int[] {0, 1, 1});
        assertEquals((0.9 + 0.8 + 0.4) / 3, m.meanTargetProbability(), 1e-15);
        assertEquals(2.0 / 3, m.argmaxRate(), 1e-15);
        ForgettingMetrics viaNd4j = ClassifierMetrics.forgetting(Nd4j.createFromArray(probs), new int[] {0, 1, 1});
        assertEquals(m, viaNd4j);
    }

    @Test
    void accuracyPerClassAndOverall() {
        double[][] probs = {
            {0.8, 0.1, 0.1}, // label 0, correct
            {0.1, 0.8, 0.1}, // label 0, wrong
            {0.1, 0.2, 0.7}, // label 2, correct
            {0.3, 0.3, 0.4}, // label 2, correct
        };
        AccuracyMetrics a = ClassifierMetrics.accuracy(probs, new int[] {0, 0, 2, 2});
        assertEquals(0.75, a.overall());
        assertArrayEquals(new double[] {0.5, Double.NaN, 1.0}, a.perClass());
        assertArrayEquals(new int[] {2, 0, 2}, a.perClassCount());
        assertArrayEquals(new double[] {2, 0, 2}, a.toPerClass().get("count"));
        assertEquals(a, ClassifierMetrics.accuracy(Nd4j.createFromArray(probs).castTo(
                org.nd4j.linalg.api.buffer.DataType.FLOAT), new int[] {0, 0, 2, 2}));
    }

    @Test
    void rejectsLogitsAndBadTargets() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassifierMetrics.forgetting(new double[][] {{2.0, -1.0}}, 0));
        assertTrue(e.getMessage().contains("logits"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ClassifierMetrics.forgetting(new double[][] {{0.5, 0.5}}, 2));
        assertThrows(IllegalArgumentException.class,
                () -> ClassifierMetrics.accuracy(new double[][] {{0.5, 0.5}}, new int[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> ClassifierMetrics.forgetting(new double[][] {{1.0}}, 0));
    }
}
