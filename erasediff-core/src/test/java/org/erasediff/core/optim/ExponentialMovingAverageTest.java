package org.erasediff.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ExponentialMovingAverageTest {

    private static List<INDArray> params(double a, double b, double c) {
        return List.of(Nd4j.createFromArray(a, b), Nd4j.createFromArray(c));
    }

    private static double[] flat(List<INDArray> list) {
        return new double[]{list.get(0).getDouble(0), list.get(0).getDouble(1), list.get(1).getDouble(0)};
    }

    @Test
    void updateFollowsTheRecurrence() {
        List<INDArray> live = params(1, 2, 3);
        ExponentialMovingAverage ema = new ExponentialMovingAverage(live, 0.9);
        assertArrayEquals(new double[]{1, 2, 3}, flat(ema.shadow()), 1e-12);

        GradientVectors.copyInto(params(11, 2, -7), live);
        ema.update(live);
        // 0.9·old + 0.1·new
        assertArrayEquals(new double[]{2.0, 2.0, 2.0}, flat(ema.shadow()), 1e-12);

        GradientVectors.copyInto(params(2, 12, 22), live);
        ema.update(live);
        assertArrayEquals(new double[]{2.0, 3.0, 4.0}, flat(ema.shadow()), 1e-12);
        assertArrayEquals(new double[]{2, 12, 22}, flat(live), 0.0);
    }

    @Test
    void shadowIsIndependentOfTheLiveArrays() {
        List<INDArray> live = params(1, 2, 3);
        ExponentialMovingAverage ema = new ExponentialMovingAverage(live, 0.5);
        live.get(0).muli(100);
        assertArrayEquals(new double[]{1, 2, 3}, flat(ema.shadow()), 0.0);
    }

    @Test
    void swapTwiceRestores() {
        List<INDArray> live = params(1, 2, 3);
        ExponentialMovingAverage ema = new ExponentialMovingAverage(live, 0.5);
        GradientVectors.copyInto(params(5, 6, 7), live);

        ema.swapWith(live);
        assertArrayEquals(new double[]{1, 2, 3}, flat(live), 0.0);
        assertArrayEquals(new double[]{5, 6, 7}, flat(ema.shadow()), 0.0);
        ema.swapWith(live);
        assertArrayEquals(new double[]{5, 6, 7}, flat(live), 0.0);
        assertArrayEquals(new double[]{1, 2, 3}, flat(ema.shadow()), 0.0);
    }

    /** Warm-up: d_0 = 0 (the first update replaces the start), then d_n = min(d, (1+n)/(10+n)). */
    @Test
    void warmupReplacesTheStartAndThenRisesTowardsTheDecay() {
        List<INDArray> live = params(0, 0, 0);
        ExponentialMovingAverage ema = new ExponentialMovingAverage(live, 0.99, true);
        GradientVectors.copyInto(params(4, 4, 4), live);
        ema.update(live);
        assertArrayEquals(new double[]{4, 4, 4}, flat(ema.shadow()), 0.0);
        GradientVectors.copyInto(params(15, 15, 15), live);
        ema.update(live); // d_1 = 2/11
        assertArrayEquals(new double[]{4 * 2.0 / 11 + 15 * 9.0 / 11, 13, 13}, flat(ema.shadow()), 1e-5);
        assertEquals(2, ema.updates());
        ema.setUpdates(10_000); // d = min(0.99, 10001/10010) = 0.99
        GradientVectors.copyInto(params(113, 113, 113), live);
        ema.update(live);
        assertArrayEquals(new double[]{13 * 0.99 + 1.13, 14, 14}, flat(ema.shadow()), 1e-4);
    }

    @Test
    void loadReplacesTheAverage() {
        List<INDArray> live = params(1, 2, 3);
        ExponentialMovingAverage ema = new ExponentialMovingAverage(live, 0.9);
        ema.load(params(-1, -2, -3));
        ema.update(live);
        assertArrayEquals(new double[]{-0.8, -1.6, -2.4}, flat(ema.shadow()), 1e-12);
    }

    @Test
    void rejectsDecayOutsideItsRangeAndMismatchedParameters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ExponentialMovingAverage(params(1, 2, 3), 1.0));
        assertEquals("decay must be in [0, 1), was 1.0", e.getMessage());
        ExponentialMovingAverage ema = new ExponentialMovingAverage(params(1, 2, 3), 0.9);
        assertThrows(IllegalArgumentException.class, () -> ema.update(List.of(Nd4j.createFromArray(1.0, 2.0))));
        assertThrows(UnsupportedOperationException.class, () -> ema.shadow().set(0, Nd4j.createFromArray(0.0)));
    }
}
