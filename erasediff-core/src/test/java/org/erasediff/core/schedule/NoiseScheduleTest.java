package org.erasediff.core.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class NoiseScheduleTest {

    // Reference values computed independently with numpy (float64):
    // np.cumprod(1 - np.linspace(1e-4, 0.02, 1000)), and the improved-diffusion cosine betas.
    private static final double LINEAR_ALPHA_BAR_999 = 4.035829765375676e-05;
    private static final double LINEAR_ALPHA_BAR_500 = 0.07779665836502389;
    private static final double COSINE_ALPHA_BAR_0 = 0.999958715775178;
    private static final double COSINE_ALPHA_BAR_999 = 2.4287669070348567e-09;
    private static final double SCALED_LINEAR_ALPHA_BAR_999 = 0.004660098513077238;

    @Test
    void linearScheduleMatchesReferenceValues() {
        NoiseSchedule s = NoiseSchedule.linear();
        assertEquals(1000, s.numTimesteps());
        assertEquals(1e-4, s.beta(0), 1e-18);
        assertEquals(0.02, s.beta(999), 1e-15);
        assertEquals(1 - 1e-4, s.alphaBar(0), 1e-15);
        assertEquals(LINEAR_ALPHA_BAR_999, s.alphaBar(999), 1e-12 * LINEAR_ALPHA_BAR_999);
        assertEquals(LINEAR_ALPHA_BAR_500, s.alphaBar(500), 1e-12);
        assertEquals(Math.sqrt(LINEAR_ALPHA_BAR_999), s.sqrtAlphaBar(999), 1e-14);
        assertEquals(Math.sqrt(1 - LINEAR_ALPHA_BAR_999), s.sqrtOneMinusAlphaBar(999), 1e-14);
        assertEquals(1 - s.beta(7), s.alpha(7), 0.0);
    }

    @Test
    void alphaBarBeforeTheFirstStepIsOne() {
        NoiseSchedule s = NoiseSchedule.linear();
        assertEquals(1.0, s.alphaBar(-1), 0.0);
        assertEquals(1.0, s.sqrtAlphaBar(-1), 0.0);
        assertEquals(0.0, s.sqrtOneMinusAlphaBar(-1), 0.0);
    }

    @Test
    void cosineScheduleIsMonotoneAndEndsNearZero() {
        NoiseSchedule s = NoiseSchedule.create(ScheduleConfig.builder(ScheduleType.COSINE).build());
        assertEquals(COSINE_ALPHA_BAR_0, s.alphaBar(0), 1e-12);
        for (int t = 1; t < 1000; t++) {
            assertTrue(s.alphaBar(t) < s.alphaBar(t - 1), "alphaBar must decrease at t=" + t);
            assertTrue(s.beta(t) <= NoiseSchedule.COSINE_MAX_BETA, "beta clipped at t=" + t);
        }
        assertEquals(NoiseSchedule.COSINE_MAX_BETA, s.beta(999), 0.0);
        assertEquals(COSINE_ALPHA_BAR_999, s.alphaBar(999), 1e-9 * COSINE_ALPHA_BAR_999);
    }

    @Test
    void scaledLinearIsLinearInSqrtBeta() {
        NoiseSchedule s = NoiseSchedule.create(ScheduleConfig.builder(ScheduleType.SCALED_LINEAR)
                .optBetaStart(0.00085).optBetaEnd(0.012).build());
        assertEquals(0.00085, s.beta(0), 1e-15);
        assertEquals(0.012, s.beta(999), 1e-15);
        double step = Math.sqrt(s.beta(1)) - Math.sqrt(s.beta(0));
        assertEquals(step, Math.sqrt(s.beta(600)) - Math.sqrt(s.beta(599)), 1e-12);
        assertEquals(SCALED_LINEAR_ALPHA_BAR_999, s.alphaBar(999), 1e-12);
    }

    @Test
    void accessorsRejectOutOfRangeTimesteps() {
        NoiseSchedule s = NoiseSchedule.linear();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.alphaBar(-2)).getMessage()
                .contains("[-1, 1000), got -2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.alphaBar(1000)).getMessage()
                .contains("got 1000"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.beta(-1)).getMessage()
                .contains("[0, 1000), got -1"));
    }

    @Test
    void addNoiseMatchesTheFormulaForEveryOutputChoice() {
        NoiseSchedule s = NoiseSchedule.linear();
        int[] t = {0, 500, 999};
        INDArray x0 = Nd4j.rand(DataType.FLOAT, 3, 2, 2, 2).muli(2).subi(1);
        INDArray eps = Nd4j.randn(DataType.FLOAT, 3, 2, 2, 2);
        INDArray expected = expectedNoised(s, x0, eps, t);
        INDArray x0Copy = x0.dup();
        INDArray epsCopy = eps.dup();

        assertClose(expected, s.addNoise(x0, eps, t), 1e-6);
        INDArray out = Nd4j.zeros(DataType.FLOAT, 3, 2, 2, 2);
        assertSame(out, s.addNoise(x0, eps, t, out));
        assertClose(expected, out, 1e-6);
        assertEquals(x0Copy, x0);
        assertEquals(epsCopy, eps);

        assertClose(expected, s.addNoise(x0, epsCopy, t, epsCopy), 1e-6);
        assertClose(expected, s.addNoise(x0Copy, eps, t, x0Copy), 1e-6);
    }

    @Test
    @SuppressWarnings("try") // Random.close() declares InterruptedException
    void addNoiseHasTheForwardProcessStatistics() throws Exception {
        NoiseSchedule s = NoiseSchedule.linear();
        int n = 10_000;
        int[] steps = {100, 900};
        double[] pixels = {0.8, -0.5, 0.1, -1.0};
        float[] x0Data = new float[2 * n * 4];
        int[] t = new int[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            t[i] = steps[i / n];
            for (int p = 0; p < 4; p++) {
                x0Data[4 * i + p] = (float) pixels[p];
            }
        }
        INDArray x0 = Nd4j.create(x0Data, new long[] {2L * n, 1, 2, 2}, DataType.FLOAT);
        INDArray eps = Nd4j.create(DataType.FLOAT, 2L * n, 1, 2, 2);
        try (Random rng = Nd4j.getRandomFactory().getNewRandomInstance(123)) {
            Nd4j.randn(eps, rng);
        }
        INDArray xt = s.addNoise(x0, eps, t);
        for (int g = 0; g < 2; g++) {
            INDArray group = xt.get(NDArrayIndex.interval((long) g * n, (long) (g + 1) * n)).reshape(n, 4);
            double[] mean = group.mean(0).toDoubleVector();
            double[] var = group.var(0).toDoubleVector();
            double ab = s.alphaBar(steps[g]);
            for (int p = 0; p < 4; p++) {
                assertEquals(Math.sqrt(ab) * pixels[p], mean[p], 0.04, "mean t=" + steps[g] + " pixel " + p);
                assertEquals(1 - ab, var[p], 0.06 * (1 - ab), "variance t=" + steps[g] + " pixel " + p);
            }
        }
    }

    @Test
    void addNoiseRejectsBadInput() {
        NoiseSchedule s = NoiseSchedule.linear();
        INDArray x0 = Nd4j.zeros(DataType.FLOAT, 2, 1, 2, 2);
        INDArray eps = Nd4j.zeros(DataType.FLOAT, 2, 1, 2, 2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.addNoise(x0, eps, new int[] {1}))
                .getMessage().contains("expected 2 entries, got 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.addNoise(x0, eps, new int[] {1, 1000}))
                .getMessage().contains("got 1000"));
        INDArray wrong = Nd4j.zeros(DataType.FLOAT, 2, 1, 2, 3);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.addNoise(x0, wrong, new int[] {1, 2}))
                .getMessage().startsWith("eps must match x0"));
        INDArray doubles = Nd4j.zeros(DataType.DOUBLE, 2, 1, 2, 2);
        assertThrows(IllegalArgumentException.class, () -> s.addNoise(x0, eps, new int[] {1, 2}, doubles));
    }

    private static INDArray expectedNoised(NoiseSchedule s, INDArray x0, INDArray eps, int[] t) {
        double[][] x = x0.reshape(t.length, -1).toDoubleMatrix();
        double[][] e = eps.reshape(t.length, -1).toDoubleMatrix();
        double[][] out = new double[t.length][x[0].length];
        for (int i = 0; i < t.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                out[i][j] = s.sqrtAlphaBar(t[i]) * x[i][j] + s.sqrtOneMinusAlphaBar(t[i]) * e[i][j];
            }
        }
        return Nd4j.create(out).reshape(x0.shape());
    }

    private static void assertClose(INDArray expected, INDArray actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape());
        double[] e = expected.reshape(-1).toDoubleVector();
        double[] a = actual.reshape(-1).toDoubleVector();
        assertArrayEquals(e, a, tol);
    }
}
