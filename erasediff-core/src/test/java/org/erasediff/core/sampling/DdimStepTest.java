package org.erasediff.core.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.erasediff.core.schedule.NoiseSchedule;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DdimStepTest {

    private final NoiseSchedule schedule = NoiseSchedule.linear();

    @Test
    void matchesTheDdimFormulaWithoutClipping() {
        int t = 600;
        int tPrev = 400;
        double eta = 0.5;
        double[] xt = {0.3, -1.7, 2.2, 0.05, -0.4, 1.1};
        double[] eps = {1.2, -0.3, 0.7, -2.0, 0.1, 0.9};
        double[] z = {-0.6, 0.2, 1.4, -0.9, 0.3, -1.1};

        double abT = schedule.alphaBar(t);
        double abPrev = schedule.alphaBar(tPrev);
        double sigma = eta * Math.sqrt((1 - abT / abPrev) * (1 - abPrev) / (1 - abT));
        double[] expected = new double[xt.length];
        double[] expectedX0 = new double[xt.length];
        for (int i = 0; i < xt.length; i++) {
            expectedX0[i] = (xt[i] - Math.sqrt(1 - abT) * eps[i]) / Math.sqrt(abT);
            expected[i] = Math.sqrt(abPrev) * expectedX0[i] + Math.sqrt(1 - abPrev - sigma * sigma) * eps[i]
                    + sigma * z[i];
        }

        DdimStep step = new DdimStep(schedule, eta, false);
        assertEquals(sigma, step.sigma(t, tPrev), 1e-15);
        INDArray x = image(xt);
        INDArray e = image(eps);
        INDArray noise = image(z);
        step.step(x, e, t, tPrev, noise);
        assertArrayEquals(expected, flat(x), 1e-5);
        assertArrayEquals(expectedX0, flat(e), 1e-5);
        assertArrayEquals(z, flat(noise), 1e-7);
    }

    @Test
    void etaOneWithStrideOneIsTheDdpmPosteriorWithClippedX0() {
        int t = 300;
        double[] xt = {0.9, -2.5, 1.8, 0.2, -0.7, 2.9};
        double[] eps = {-0.8, 0.5, -1.9, 0.4, 0.6, -0.2};
        double[] z = {0.5, -1.3, 0.8, 0.1, -0.4, 1.6};

        double beta = schedule.beta(t);
        double abT = schedule.alphaBar(t);
        double abPrev = schedule.alphaBar(t - 1);
        double posteriorVariance = beta * (1 - abPrev) / (1 - abT);
        double coefX0 = Math.sqrt(abPrev) * beta / (1 - abT);
        double coefXt = Math.sqrt(1 - beta) * (1 - abPrev) / (1 - abT);
        double[] expected = new double[xt.length];
        boolean clipped = false;
        for (int i = 0; i < xt.length; i++) {
            double x0 = (xt[i] - Math.sqrt(1 - abT) * eps[i]) / Math.sqrt(abT);
            clipped |= Math.abs(x0) > 1;
            x0 = Math.max(-1, Math.min(1, x0));
            expected[i] = coefX0 * x0 + coefXt * xt[i] + Math.sqrt(posteriorVariance) * z[i];
        }
        assertTrue(clipped, "the inputs must exercise clipping");

        DdimStep step = new DdimStep(schedule, 1.0, true);
        assertEquals(posteriorVariance, Math.pow(step.sigma(t, t - 1), 2), 1e-15);
        INDArray x = image(xt);
        step.step(x, image(eps), t, t - 1, image(z));
        assertArrayEquals(expected, flat(x), 1e-5);
    }

    @Test
    void lastStepReturnsTheClippedX0WithoutNoise() {
        double[] xt = {0.5, -0.2, 3.0, -3.0};
        double[] eps = {0.1, 0.2, 0.3, 0.4};
        DdimStep step = new DdimStep(schedule, 1.0, true);
        assertEquals(0.0, step.sigma(20, -1), 0.0);
        INDArray x = image(xt);
        step.step(x, image(eps), 20, -1, null);
        double a = schedule.sqrtAlphaBar(20);
        double b = schedule.sqrtOneMinusAlphaBar(20);
        double[] expected = new double[xt.length];
        for (int i = 0; i < xt.length; i++) {
            expected[i] = Math.max(-1, Math.min(1, (xt[i] - b * eps[i]) / a));
        }
        assertArrayEquals(expected, flat(x), 1e-6);
        assertEquals(1.0, expected[2], 0.0);
        assertEquals(-1.0, expected[3], 0.0);
    }

    @Test
    void etaZeroAddsNoNoise() {
        DdimStep step = new DdimStep(schedule, 0.0, true);
        assertEquals(0.0, step.sigma(999, 500), 0.0);
        assertEquals(0.0, step.sigma(1, 0), 0.0);
    }

    @Test
    void rejectsMisuse() {
        DdimStep step = new DdimStep(schedule, 1.0, true);
        INDArray x = image(new double[] {0, 0});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> step.step(x, x.dup(), 10, 5, null))
                .getMessage().startsWith("noise is required when sigma > 0"));
        assertEquals("tPrev must be in [-1, t=10), got 10",
                assertThrows(IllegalArgumentException.class, () -> step.sigma(10, 10)).getMessage());
        assertEquals("t must be in [0, 1000), got 1000",
                assertThrows(IllegalArgumentException.class, () -> step.sigma(1000, 5)).getMessage());
        assertEquals("eta must be in [0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> new DdimStep(schedule, 1.5, true)).getMessage());
        INDArray other = Nd4j.zeros(DataType.FLOAT, 1, 1, 1, 3);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> step.step(x, other, 10, -1, null))
                .getMessage().startsWith("epsTilde must match xt"));
    }

    /** A float image {@code [1, 1, 1, n]}. */
    private static INDArray image(double[] values) {
        return Nd4j.createFromArray(values).castTo(DataType.FLOAT).reshape(1, 1, 1, values.length);
    }

    private static double[] flat(INDArray a) {
        return a.reshape(-1).toDoubleVector();
    }
}
