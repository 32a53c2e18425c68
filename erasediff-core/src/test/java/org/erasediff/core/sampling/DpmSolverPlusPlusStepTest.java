package org.erasediff.core.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.erasediff.core.schedule.NoiseSchedule;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DpmSolverPlusPlusStepTest {

    private static final double[] X = {0.3, -1.7, 2.2, 0.05, -0.4, 1.1};
    private static final double[] EPS_1 = {1.2, -0.3, 0.7, -2.0, 0.1, 0.9};
    private static final double[] EPS_2 = {-0.6, 0.2, 1.4, -0.9, 0.3, -1.1};

    private final NoiseSchedule schedule = NoiseSchedule.linear();

    @Test
    void firstStepIsDeterministicDdim() {
        for (boolean clip : new boolean[] {false, true}) {
            INDArray ddimX = image(X);
            INDArray ddimEps = image(EPS_1);
            new DdimStep(schedule, 0.0, clip).step(ddimX, ddimEps, 700, 450, null);

            DpmSolverPlusPlusStep dpm = new DpmSolverPlusPlusStep(schedule, clip);
            DpmSolverPlusPlusStep.History history = new DpmSolverPlusPlusStep.History();
            assertEquals(1, dpm.order(history, 450));
            INDArray x = image(X);
            INDArray eps = image(EPS_1);
            dpm.step(x, eps, 700, 450, history);
            assertArrayEquals(flat(ddimX), flat(x), 1e-12, "x_t', clip = " + clip);
            assertArrayEquals(flat(ddimEps), flat(eps), 1e-12, "x̂_0, clip = " + clip);
            assertFalse(history.isEmpty());
        }
    }

    @Test
    void secondStepMatchesTheMultistepMidpointFormula() {
        int t0 = 800;
        int t1 = 500;
        int t2 = 200;
        DpmSolverPlusPlusStep dpm = new DpmSolverPlusPlusStep(schedule, false);
        DpmSolverPlusPlusStep.History history = new DpmSolverPlusPlusStep.History();
        INDArray x = image(X);
        dpm.step(x, image(EPS_1), t0, t1, history);
        double[] x1 = flat(x);
        assertEquals(2, dpm.order(history, t2));
        dpm.step(x, image(EPS_2), t1, t2, history);

        // The 2M update written out with D0 = m0 and D1 = (m0 − m1)/r0, all in double.
        double[] m1 = new double[X.length];
        double[] expected = new double[X.length];
        double h = lambda(t2) - lambda(t1);
        double r0 = (lambda(t1) - lambda(t0)) / h;
        for (int i = 0; i < X.length; i++) {
            m1[i] = (X[i] - sigma(t0) * EPS_1[i]) / alpha(t0);
            double m0 = (x1[i] - sigma(t1) * EPS_2[i]) / alpha(t1);
            double d1 = (m0 - m1[i]) / r0;
            expected[i] = sigma(t2) / sigma(t1) * x1[i] - alpha(t2) * (Math.exp(-h) - 1) * m0
                    - 0.5 * alpha(t2) * (Math.exp(-h) - 1) * d1;
        }
        assertArrayEquals(expected, flat(x), 1e-12);
        // The first step alone, checked the same way.
        for (int i = 0; i < X.length; i++) {
            double h0 = lambda(t1) - lambda(t0);
            assertEquals(sigma(t1) / sigma(t0) * X[i] - alpha(t1) * (Math.exp(-h0) - 1) * m1[i], x1[i], 1e-12);
        }
    }

    @Test
    void clippingAppliesToTheEstimateThatIsUsedAndRemembered() {
        double[] eps = {-2.5, 2.0, 0.1, -0.2, 2.4, -1.9};
        DpmSolverPlusPlusStep dpm = new DpmSolverPlusPlusStep(schedule, true);
        DpmSolverPlusPlusStep.History history = new DpmSolverPlusPlusStep.History();
        INDArray x = image(X);
        INDArray e = image(eps);
        dpm.step(x, e, 300, 150, history);
        double[] x1 = flat(x);
        double[] m1 = new double[X.length];
        boolean clipped = false;
        for (int i = 0; i < X.length; i++) {
            double raw = (X[i] - sigma(300) * eps[i]) / alpha(300);
            clipped |= Math.abs(raw) > 1;
            m1[i] = Math.max(-1, Math.min(1, raw));
        }
        assertTrue(clipped, "the inputs must exercise clipping");
        assertArrayEquals(m1, flat(e), 1e-12);

        dpm.step(x, image(EPS_2), 150, 50, history);
        double h = lambda(50) - lambda(150);
        double r = (lambda(150) - lambda(300)) / h;
        double k = alpha(50) * (1 - Math.exp(-h));
        for (int i = 0; i < X.length; i++) {
            double m0 = Math.max(-1, Math.min(1, (x1[i] - sigma(150) * EPS_2[i]) / alpha(150)));
            double expected = sigma(50) / sigma(150) * x1[i] + k * ((1 + 1 / (2 * r)) * m0 - m1[i] / (2 * r));
            assertEquals(expected, flat(x)[i], 1e-12, "element " + i);
        }
    }

    @Test
    void finalStepReturnsTheEstimateAndEndsThePass() {
        DpmSolverPlusPlusStep dpm = new DpmSolverPlusPlusStep(schedule, true);
        DpmSolverPlusPlusStep.History history = new DpmSolverPlusPlusStep.History();
        INDArray x = image(X);
        dpm.step(x, image(EPS_1), 40, 20, history);
        double[] x1 = flat(x);
        assertEquals(1, dpm.order(history, -1));
        dpm.step(x, image(EPS_2), 20, -1, history);
        for (int i = 0; i < X.length; i++) {
            double x0 = Math.max(-1, Math.min(1, (x1[i] - sigma(20) * EPS_2[i]) / alpha(20)));
            assertEquals(x0, flat(x)[i], 1e-12);
        }
        assertTrue(history.isEmpty(), "a pass ends with the step to -1");
    }

    @Test
    void orderIsOneFirstAndIntoZeroUnlessLowerOrderFinalIsOff() {
        DpmSolverPlusPlusStep.History history = new DpmSolverPlusPlusStep.History();
        DpmSolverPlusPlusStep lof = new DpmSolverPlusPlusStep(schedule, false);
        DpmSolverPlusPlusStep plain = new DpmSolverPlusPlusStep(schedule, false, false);
        assertTrue(lof.lowerOrderFinal());
        assertFalse(plain.lowerOrderFinal());
        assertEquals(1, lof.order(history, 500));
        lof.step(image(X), image(EPS_1), 999, 500, history);
        assertEquals(2, lof.order(history, 100));
        assertEquals(1, lof.order(history, 0));
        assertEquals(1, lof.order(history, -1));
        assertEquals(2, plain.order(history, 0));
        assertEquals(1, plain.order(history, -1));

        // Into t' = 0 without lower-order final: the second-order formula.
        DpmSolverPlusPlusStep.History h2 = new DpmSolverPlusPlusStep.History();
        INDArray x = image(X);
        plain.step(x, image(EPS_1), 200, 100, h2);
        double[] x1 = flat(x);
        plain.step(x, image(EPS_2), 100, 0, h2);
        double h = lambda(0) - lambda(100);
        double r = (lambda(100) - lambda(200)) / h;
        double k = alpha(0) * (1 - Math.exp(-h));
        for (int i = 0; i < X.length; i++) {
            double m1 = (X[i] - sigma(200) * EPS_1[i]) / alpha(200);
            double m0 = (x1[i] - sigma(100) * EPS_2[i]) / alpha(100);
            double expected = sigma(0) / sigma(100) * x1[i] + k * ((1 + 1 / (2 * r)) * m0 - m1 / (2 * r));
            assertEquals(expected, flat(x)[i], 1e-12, "element " + i);
        }
    }

    @Test
    void aReusedHistoryGivesTheSameResultAsAFreshOne() {
        DpmSolverPlusPlusStep dpm = new DpmSolverPlusPlusStep(schedule, false);
        int[] ts = {999, 700, 400, 100, 0};
        DpmSolverPlusPlusStep.History reused = new DpmSolverPlusPlusStep.History();
        INDArray other = Nd4j.createFromArray(5.0, -3.0).castTo(DataType.DOUBLE).reshape(1, 1, 1, 2);
        dpm.step(other, other.dup(), 999, 700, reused); // a pass over other images, abandoned
        reused.reset();
        INDArray a = run(dpm, ts, reused);
        INDArray b = run(dpm, ts, new DpmSolverPlusPlusStep.History());
        assertEquals(b, a);
        assertEquals(run(dpm, ts, reused), a, "and again after the pass ended by itself");
    }

    @Test
    void lambdaIsTheLogSignalToNoiseHalfRatio() {
        DpmSolverPlusPlusStep dpm = new DpmSolverPlusPlusStep(schedule, false);
        double ab = schedule.alphaBar(123);
        assertEquals(0.5 * Math.log(ab / (1 - ab)), dpm.lambda(123), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, dpm.lambda(-1), 0.0);
        assertEquals(4.6, dpm.lambda(0), 0.01);
    }

    @Test
    void rejectsMisuse() {
        DpmSolverPlusPlusStep dpm = new DpmSolverPlusPlusStep(schedule, false);
        DpmSolverPlusPlusStep.History history = new DpmSolverPlusPlusStep.History();
        INDArray x = image(X);
        dpm.step(x, image(EPS_1), 900, 600, history);
        assertEquals("the history's pass continues at t = 600, got t = 500; call History.reset() before starting"
                        + " a new pass",
                assertThrows(IllegalStateException.class,
                        () -> dpm.step(x, image(EPS_2), 500, 300, history)).getMessage());
        INDArray small = Nd4j.zeros(DataType.DOUBLE, 1, 1, 1, 2);
        assertTrue(assertThrows(IllegalStateException.class, () -> dpm.step(small, small.dup(), 600, 300, history))
                .getMessage().startsWith("the history holds DOUBLE [1, 1, 1, 6] images, but xt is DOUBLE [1, 1, 1, 2]"));
        assertEquals("tPrev must be in [-1, t=600), got 600", assertThrows(IllegalArgumentException.class,
                () -> dpm.step(x, image(EPS_2), 600, 600, history)).getMessage());
        assertEquals("t must be in [0, 1000), got 1000", assertThrows(IllegalArgumentException.class,
                () -> dpm.step(x, image(EPS_2), 1000, 600, new DpmSolverPlusPlusStep.History())).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> dpm.step(x, small, 600, 300, history))
                .getMessage().startsWith("epsTilde must match xt"));
        INDArray ints = Nd4j.zeros(DataType.INT, 1, 2);
        assertEquals("xt must be floating point, got INT", assertThrows(IllegalArgumentException.class,
                () -> dpm.step(ints, ints.dup(), 600, 300, history)).getMessage());
        // The failed calls left the pass intact.
        dpm.step(x, image(EPS_2), 600, 300, history);
        assertFalse(history.isEmpty());
    }

    private INDArray run(DpmSolverPlusPlusStep dpm, int[] ts, DpmSolverPlusPlusStep.History history) {
        INDArray x = image(X);
        for (int i = 0; i < ts.length; i++) {
            dpm.step(x, image(i % 2 == 0 ? EPS_1 : EPS_2), ts[i], i + 1 < ts.length ? ts[i + 1] : -1, history);
        }
        return x;
    }

    private double alpha(int t) {
        return Math.sqrt(schedule.alphaBar(t));
    }

    private double sigma(int t) {
        return Math.sqrt(1 - schedule.alphaBar(t));
    }

    private double lambda(int t) {
        return Math.log(alpha(t) / sigma(t));
    }

    /** A double image {@code [1, 1, 1, n]}. */
    private static INDArray image(double[] values) {
        return Nd4j.createFromArray(values).castTo(DataType.DOUBLE).reshape(1, 1, 1, values.length);
    }

    private static double[] flat(INDArray a) {
        return a.reshape(-1).toDoubleVector();
    }
}
