package org.erasediff.core.unlearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.erasediff.core.schedule.NoiseSchedule;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class OriginalWithoutForgetTest {

    private static final NoiseSchedule SCHEDULE = NoiseSchedule.linear();
    private static final int D = 6;

    private static double[][] images(Random r, int n, double centre) {
        double[][] x = new double[n][D];
        for (double[] row : x) {
            for (int k = 0; k < D; k++) {
                row[k] = centre + 0.3 * r.nextGaussian();
            }
        }
        return x;
    }

    private static INDArray array(double[][] x) {
        return Nd4j.createFromArray(x).reshape(x.length, 1, 1, D);
    }

    /** The exact denoiser of a finite mixture: posterior weights ∝ prior share / pool size × Gaussian density. */
    private static double[] mixtureNoise(double[] xt, int t, double[][] forget, double[][] remain, double forgetShare,
                                         double[] forgetPosterior) {
        double a = SCHEDULE.sqrtAlphaBar(t);
        double s = SCHEDULE.sqrtOneMinusAlphaBar(t);
        int n = forget.length + remain.length;
        double[] logw = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            boolean isForget = j < forget.length;
            double[] x0 = isForget ? forget[j] : remain[j - forget.length];
            double d2 = 0;
            for (int k = 0; k < D; k++) {
                d2 += (xt[k] - a * x0[k]) * (xt[k] - a * x0[k]);
            }
            logw[j] = Math.log(isForget ? forgetShare / forget.length : (1 - forgetShare) / remain.length)
                    - d2 / (2 * s * s);
            max = Math.max(max, logw[j]);
        }
        double sum = 0;
        double pf = 0;
        double[] x0hat = new double[D];
        for (int j = 0; j < n; j++) {
            sum += Math.exp(logw[j] - max);
        }
        for (int j = 0; j < n; j++) {
            double w = Math.exp(logw[j] - max) / sum;
            double[] x0 = j < forget.length ? forget[j] : remain[j - forget.length];
            for (int k = 0; k < D; k++) {
                x0hat[k] += w * x0[k];
            }
            if (j < forget.length) {
                pf += w;
            }
        }
        if (forgetPosterior != null) {
            forgetPosterior[0] = pf;
        }
        double[] eps = new double[D];
        for (int k = 0; k < D; k++) {
            eps[k] = (xt[k] - a * x0hat[k]) / s;
        }
        return eps;
    }

    /**
     * If the original model were the exact denoiser of the forget and remain images together, taking
     * the forget share out leaves exactly the remain images' own denoiser.
     */
    @Test
    void fromTheExactMixtureDenoiserItRecoversTheRemainImagesOwnDenoiser() {
        Random r = new Random(11);
        double[][] forget = images(r, 5, -0.5);
        double[][] remain = images(r, 9, 0.5);
        double share = 0.2;
        int[] t = {200, 450, 600, 750, 900, 999};
        double[][] xt = new double[t.length][D];
        double[][] teacher = new double[t.length][];
        double[] expectedPf = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            double[] source = i % 2 == 0 ? remain[i] : forget[i % forget.length];
            for (int k = 0; k < D; k++) {
                xt[i][k] = SCHEDULE.sqrtAlphaBar(t[i]) * source[k] + SCHEDULE.sqrtOneMinusAlphaBar(t[i]) * r.nextGaussian();
            }
            double[] pf = new double[1];
            teacher[i] = mixtureNoise(xt[i], t[i], forget, remain, share, pf);
            expectedPf[i] = pf[0];
        }
        INDArray out = Nd4j.create(DataType.DOUBLE, t.length, 1, 1, D);
        double[] pf = OriginalWithoutForget.fill(array(teacher), array(xt), t, array(remain), array(forget), share,
                SCHEDULE, out);
        int checked = 0;
        for (int i = 0; i < t.length; i++) {
            assertEquals(Math.min(expectedPf[i], OriginalWithoutForget.MAX_FORGET_POSTERIOR), pf[i], 1e-9, "row " + i);
            if (expectedPf[i] >= OriginalWithoutForget.MAX_FORGET_POSTERIOR) {
                continue;
            }
            double[] remainOnly = mixtureNoise(xt[i], t[i], new double[0][], remain, 1e-300, null);
            for (int k = 0; k < D; k++) {
                assertEquals(remainOnly[k], out.getDouble(i, 0, 0, k), 1e-8, "row " + i + " pixel " + k);
            }
            checked++;
        }
        assertTrue(checked >= 3, "enough rows below the cap: " + java.util.Arrays.toString(expectedPf));
        assertTrue(expectedPf[t.length - 1] > 0.1 && expectedPf[t.length - 1] < 0.3,
                "at t = 999 every image is about as likely, so P_f is about the prior: " + expectedPf[t.length - 1]);
    }

    /** Far from every forget image the target is the original's prediction; on top of one, P_f stops at the cap. */
    @Test
    void farFromTheForgetImagesNothingChangesAndNearThemTheCapHolds() {
        Random r = new Random(4);
        double[][] forget = images(r, 4, -1);
        double[][] remain = images(r, 8, 1);
        double[][] xt = {remain[0].clone(), forget[0].clone()};
        for (int k = 0; k < D; k++) {
            xt[0][k] *= SCHEDULE.sqrtAlphaBar(50);
            xt[1][k] *= SCHEDULE.sqrtAlphaBar(50);
        }
        double[][] teacher = {{0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, {0.6, 0.5, 0.4, 0.3, 0.2, 0.1}};
        INDArray out = Nd4j.create(DataType.DOUBLE, 2, 1, 1, D);
        double[] pf = OriginalWithoutForget.fill(array(teacher), array(xt), new int[] {50, 50}, array(remain),
                array(forget), 0.1, SCHEDULE, out);
        assertEquals(0.0, pf[0], 1e-12);
        for (int k = 0; k < D; k++) {
            assertEquals(teacher[0][k], out.getDouble(0, 0, 0, k), 1e-9);
        }
        assertEquals(OriginalWithoutForget.MAX_FORGET_POSTERIOR, pf[1]);
        assertTrue(Double.isFinite(out.getDouble(1, 0, 0, 0)));
    }

    @Test
    void badInputIsRefused() {
        INDArray x = Nd4j.zeros(DataType.FLOAT, 2, 1, 1, D);
        INDArray pool = Nd4j.zeros(DataType.FLOAT, 3, 1, 1, D);
        int[] t = {10, 20};
        assertThrows(IllegalArgumentException.class,
                () -> OriginalWithoutForget.fill(x, x, t, pool, pool, 0, SCHEDULE, x.ulike()));
        assertThrows(IllegalArgumentException.class,
                () -> OriginalWithoutForget.fill(x, x, t, pool, pool, 1, SCHEDULE, x.ulike()));
        assertThrows(IllegalArgumentException.class,
                () -> OriginalWithoutForget.fill(x, x, new int[] {1}, pool, pool, 0.1, SCHEDULE, x.ulike()));
        assertThrows(IllegalArgumentException.class, () -> OriginalWithoutForget.fill(x, x, t, pool,
                Nd4j.zeros(DataType.FLOAT, 3, 1, 1, D + 1), 0.1, SCHEDULE, x.ulike()));
        assertThrows(IllegalArgumentException.class, () -> OriginalWithoutForget.fill(
                Nd4j.zeros(DataType.FLOAT, 1, 1, 1, D), x, t, pool, pool, 0.1, SCHEDULE, x.ulike()));
    }
}
