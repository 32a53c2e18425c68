package org.erasediff.dl4j.unet;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupNormTest {

    private static final int B = 8;

    @Test
    void normalisesEachGroupToZeroMeanUnitVariance() {
        int c = 8, g = 4, h = 5, w = 5;
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, c, h, w);
        SDVariable y = GroupNorm.apply(x, sd.var("gamma", Nd4j.ones(DataType.FLOAT, c)),
                sd.var("beta", Nd4j.zeros(DataType.FLOAT, c)), c, g, h, w, 1e-5);
        INDArray in = random(new Random(1), DataType.FLOAT, B, c, h, w).muli(3).addi(5);
        INDArray out = sd.outputSingle(Map.of("x", in), y.name());
        assertEquals(List.of((long) B, (long) c, (long) h, (long) w), List.of(out.shape()[0], out.shape()[1],
                out.shape()[2], out.shape()[3]));
        INDArray grouped = out.reshape(B, g, (long) c / g * h * w);
        INDArray mean = grouped.mean(2);
        INDArray var = grouped.var(false, 2);
        assertTrue(mean.amaxNumber().doubleValue() < 1e-5, "group means " + mean);
        assertTrue(Math.abs(var.minNumber().doubleValue() - 1) < 1e-4, "group variances " + var);
        assertTrue(Math.abs(var.maxNumber().doubleValue() - 1) < 1e-4, "group variances " + var);
    }

    @Test
    void matchesAReferenceImplementationWithAffine() {
        int c = 6, g = 3, h = 4, w = 3;
        Random rnd = new Random(2);
        INDArray in = random(rnd, DataType.DOUBLE, B, c, h, w).muli(2).addi(-1);
        INDArray gamma = random(rnd, DataType.DOUBLE, c);
        INDArray beta = random(rnd, DataType.DOUBLE, c);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, c, h, w);
        SDVariable y = GroupNorm.apply(x, sd.var("gamma", gamma), sd.var("beta", beta), c, g, h, w, 1e-3);
        INDArray out = sd.outputSingle(Map.of("x", in), y.name());
        int per = c / g;
        for (int b = 0; b < B; b++) {
            for (int grp = 0; grp < g; grp++) {
                double sum = 0, sq = 0;
                int n = per * h * w;
                for (int ch = grp * per; ch < (grp + 1) * per; ch++) {
                    for (int i = 0; i < h; i++) {
                        for (int j = 0; j < w; j++) {
                            sum += in.getDouble(b, ch, i, j);
                        }
                    }
                }
                double mean = sum / n;
                for (int ch = grp * per; ch < (grp + 1) * per; ch++) {
                    for (int i = 0; i < h; i++) {
                        for (int j = 0; j < w; j++) {
                            double d = in.getDouble(b, ch, i, j) - mean;
                            sq += d * d;
                        }
                    }
                }
                double inv = 1 / Math.sqrt(sq / n + 1e-3);
                for (int ch = grp * per; ch < (grp + 1) * per; ch++) {
                    for (int i = 0; i < h; i++) {
                        for (int j = 0; j < w; j++) {
                            double expected = gamma.getDouble(ch) * (in.getDouble(b, ch, i, j) - mean) * inv
                                    + beta.getDouble(ch);
                            assertEquals(expected, out.getDouble(b, ch, i, j), 1e-12);
                        }
                    }
                }
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesInDoublePrecision() {
        int c = 4, g = 2, h = 3, w = 3;
        Random rnd = new Random(3);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", random(rnd, DataType.DOUBLE, B, c, h, w).muli(1.5).addi(0.7));
        SDVariable y = GroupNorm.apply(x, sd.var("gamma", random(rnd, DataType.DOUBLE, c)),
                sd.var("beta", random(rnd, DataType.DOUBLE, c)), c, g, h, w, 1e-5);
        y.mul(sd.constant(random(rnd, DataType.DOUBLE, B, c, h, w))).sum().rename("loss").markAsLoss();
        Map<String, INDArray> grads = sd.calculateGradients(Map.of(), "x", "gamma", "beta");
        double worst = 0;
        for (String name : List.of("gamma", "beta", "x")) {
            INDArray param = sd.getVariable(name).getArr();
            INDArray grad = grads.get(name);
            long count = name.equals("x") ? 40 : param.length();
            for (long k = 0; k < count; k++) {
                long i = name.equals("x") ? (k * 7919) % param.length() : k;
                double analytic = grad.getDouble(i);
                double numeric = centralDifference(sd, param, i);
                double err = Math.abs(analytic - numeric) / Math.max(1e-6, Math.abs(analytic) + Math.abs(numeric));
                worst = Math.max(worst, err);
                assertTrue(err < 1e-6, name + "[" + i + "]: analytic " + analytic + " vs numeric " + numeric);
            }
        }
        assertTrue(worst < 1e-6);
    }

    @Test
    void rejectsBadArguments() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 6, 2, 2);
        SDVariable gamma = sd.var("gamma", Nd4j.ones(DataType.FLOAT, 6));
        SDVariable beta = sd.var("beta", Nd4j.zeros(DataType.FLOAT, 6));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GroupNorm.apply(x, gamma, beta, 6, 4, 2, 2, 1e-5));
        assertTrue(e.getMessage().contains("groups must divide channels = 6, found 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GroupNorm.apply(x, gamma, beta, 6, 3, 2, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> GroupNorm.apply(x, gamma, beta, 6, 3, 0, 2, 1e-5));
    }

    private static double centralDifference(SameDiff sd, INDArray param, long i) {
        double eps = 1e-6;
        double orig = param.getDouble(i);
        param.putScalar(i, orig + eps);
        double plus = sd.outputSingle(Map.of(), "loss").getDouble(0);
        param.putScalar(i, orig - eps);
        double minus = sd.outputSingle(Map.of(), "loss").getDouble(0);
        param.putScalar(i, orig);
        return (plus - minus) / (2 * eps);
    }

    static INDArray random(Random rnd, DataType type, long... shape) {
        INDArray a = Nd4j.create(type, shape);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, rnd.nextGaussian());
        }
        return a;
    }
}
