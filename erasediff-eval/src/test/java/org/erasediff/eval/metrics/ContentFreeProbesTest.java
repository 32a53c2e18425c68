package org.erasediff.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class ContentFreeProbesTest {

    @Test
    void probesHaveTheirContentAndAreSeeded() {
        Map<String, INDArray> p = ContentFreeProbes.create(20, new long[] {1, 6, 6}, 3);
        assertEquals(List.of("black", "grey", "white", "uniform_noise", "speckles_10pct"), List.copyOf(p.keySet()));
        for (INDArray a : p.values()) {
            assertArrayEquals(new long[] {20, 1, 6, 6}, a.shape());
            assertTrue(a.minNumber().doubleValue() >= -1 && a.maxNumber().doubleValue() <= 1);
        }
        assertEquals(-1, p.get("black").maxNumber().doubleValue());
        assertEquals(0, p.get("grey").norm1Number().doubleValue());
        assertEquals(1, p.get("white").minNumber().doubleValue());
        double white = p.get("speckles_10pct").add(1).div(2).meanNumber().doubleValue();
        assertEquals(0.1, white, 0.04, "about 10 % white pixels");
        assertEquals(0, p.get("uniform_noise").meanNumber().doubleValue(), 0.1);
        assertEquals(p.get("uniform_noise"), ContentFreeProbes.create(20, new long[] {1, 6, 6}, 3).get("uniform_noise"));
        assertThrows(IllegalArgumentException.class, () -> ContentFreeProbes.create(0, new long[] {1, 6, 6}, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContentFreeProbes.create(4, new long[] {1, 0, 6}, 3));
        assertTrue(e.getMessage().contains("[1, 0, 6]"), e.getMessage());
    }

    @Test
    void meanProbabilitiesAverageTheJudgesOutputPerProbe() {
        // a judge that says class 0 with probability (mean pixel + 1) / 2 and class 1 with the rest
        java.util.function.Function<INDArray, INDArray> judge = images -> {
            INDArray p0 = images.reshape(images.size(0), -1).mean(1).add(1).div(2).reshape(-1, 1);
            return org.nd4j.linalg.factory.Nd4j.hstack(p0, p0.rsub(1));
        };
        Map<String, double[]> p = ContentFreeProbes.meanProbabilities(judge, 50, new long[] {1, 4, 4}, 2);
        assertArrayEquals(new double[] {0, 1}, p.get("black"), 1e-6);
        assertArrayEquals(new double[] {0.5, 0.5}, p.get("grey"), 1e-6);
        assertArrayEquals(new double[] {1, 0}, p.get("white"), 1e-6);
        double white = ContentFreeProbes.create(50, new long[] {1, 4, 4}, 2).get("speckles_10pct").add(1).div(2)
                .meanNumber().doubleValue();
        assertEquals(white, p.get("speckles_10pct")[0], 1e-6, "the share of white pixels, averaged over images");
    }
}
