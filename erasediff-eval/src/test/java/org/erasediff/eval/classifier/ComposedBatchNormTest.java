package org.erasediff.eval.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ComposedBatchNormTest {

    private static final int B = 3;
    private static final int C = 2;
    private static final int H = 2;
    private static final int W = 3;

    @Test
    void trainingModeNormalisesWithBatchStatisticsByHand() {
        Random rnd = new Random(1);
        INDArray in = random(rnd, B, C, H, W).muli(2).addi(3);
        INDArray gamma = random(rnd, C);
        INDArray beta = random(rnd, C);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, C, H, W);
        SDVariable y = ComposedBatchNorm.training("bn", x, sd.var("gamma", gamma), sd.var("beta", beta), C, 1e-3);
        Map<String, INDArray> out = sd.output(Map.of("x", in), y.name(), ComposedBatchNorm.meanName("bn"),
                ComposedBatchNorm.varianceName("bn"));
        for (int c = 0; c < C; c++) {
            double sum = 0;
            for (int b = 0; b < B; b++) {
                for (int i = 0; i < H; i++) {
                    for (int j = 0; j < W; j++) {
                        sum += in.getDouble(b, c, i, j);
                    }
                }
            }
            int n = B * H * W;
            double mean = sum / n;
            double sq = 0;
            for (int b = 0; b < B; b++) {
                for (int i = 0; i < H; i++) {
                    for (int j = 0; j < W; j++) {
                        sq += Math.pow(in.getDouble(b, c, i, j) - mean, 2);
                    }
                }
            }
            double var = sq / n; // biased, as PyTorch normalises with
            assertEquals(mean, out.get(ComposedBatchNorm.meanName("bn")).getDouble(c), 1e-12);
            assertEquals(var, out.get(ComposedBatchNorm.varianceName("bn")).getDouble(c), 1e-12);
            for (int b = 0; b < B; b++) {
                for (int i = 0; i < H; i++) {
                    for (int j = 0; j < W; j++) {
                        double expected = gamma.getDouble(c) * (in.getDouble(b, c, i, j) - mean)
                                / Math.sqrt(var + 1e-3) + beta.getDouble(c);
                        assertEquals(expected, out.get(y.name()).getDouble(b, c, i, j), 1e-12);
                    }
                }
            }
        }
    }

    @Test
    void inferenceModeUsesTheRunningStatistics() {
        Random rnd = new Random(2);
        INDArray in = random(rnd, B, C, H, W);
        INDArray gamma = random(rnd, C);
        INDArray beta = random(rnd, C);
        INDArray mean = Nd4j.createFromArray(0.5, -1.0);
        INDArray var = Nd4j.createFromArray(4.0, 0.25);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, C, H, W);
        SDVariable y = ComposedBatchNorm.inference("bn", x, sd.var("gamma", gamma), sd.var("beta", beta),
                sd.constant("m", mean), sd.constant("v", var), C, 1e-5);
        INDArray out = sd.outputSingle(Map.of("x", in), y.name());
        for (int b = 0; b < B; b++) {
            for (int c = 0; c < C; c++) {
                for (int i = 0; i < H; i++) {
                    for (int j = 0; j < W; j++) {
                        double expected = gamma.getDouble(c) * (in.getDouble(b, c, i, j) - mean.getDouble(c))
                                / Math.sqrt(var.getDouble(c) + 1e-5) + beta.getDouble(c);
                        assertEquals(expected, out.getDouble(b, c, i, j), 1e-12);
                    }
                }
            }
        }
    }

    @Test
    void trainingModeGradientsMatchFiniteDifferences() {
        Random rnd = new Random(3);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", random(rnd, B, C, H, W).muli(1.5).addi(0.7));
        SDVariable y = ComposedBatchNorm.training("bn", x, sd.var("gamma", random(rnd, C)),
                sd.var("beta", random(rnd, C)), C, 1e-5);
        // a non-linear loss, so the gradient through the batch mean and variance is exercised
        y.mul(sd.constant(random(rnd, B, C, H, W))).add(sd.math().square(y).mul(0.3)).sum().rename("loss")
                .markAsLoss();
        Map<String, INDArray> grads = sd.calculateGradients(Map.of(), "x", "gamma", "beta");
        for (String name : List.of("gamma", "beta", "x")) {
            INDArray param = sd.getVariable(name).getArr();
            INDArray grad = grads.get(name);
            for (long i = 0; i < param.length(); i++) {
                double analytic = grad.getDouble(i);
                double numeric = centralDifference(sd, param, i);
                // relative error, floored at 1e-2: tiny entries of x's gradient (sums that nearly cancel) carry
                // the finite difference's rounding noise (~1e-9), far below any error of the composition
                double err = Math.abs(analytic - numeric) / Math.max(1e-2, Math.abs(analytic) + Math.abs(numeric));
                assertTrue(err < 1e-6, name + "[" + i + "]: analytic " + analytic + " vs numeric " + numeric);
            }
        }
    }

    @Test
    void runningAveragesFollowPyTorch() {
        INDArray runMean = Nd4j.createFromArray(0f, 1f);
        INDArray runVar = Nd4j.createFromArray(1f, 2f);
        ComposedBatchNorm.updateRunning(runMean, runVar, Nd4j.createFromArray(2f, -1f), Nd4j.createFromArray(3f, 0.5f),
                4, 0.1);
        assertEquals(0.9 * 0 + 0.1 * 2, runMean.getDouble(0), 1e-6);
        assertEquals(0.9 * 1 + 0.1 * -1, runMean.getDouble(1), 1e-6);
        // unbiased: 3 · 4/3 = 4 and 0.5 · 4/3
        assertEquals(0.9 * 1 + 0.1 * 4, runVar.getDouble(0), 1e-6);
        assertEquals(0.9 * 2 + 0.1 * 0.5 * 4 / 3, runVar.getDouble(1), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> ComposedBatchNorm.updateRunning(runMean, runVar,
                runMean, runVar, 1, 0.1));
        assertThrows(IllegalArgumentException.class, () -> ComposedBatchNorm.updateRunning(runMean, runVar,
                runMean, runVar, 4, 0));
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

    private static INDArray random(Random rnd, long... shape) {
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, rnd.nextGaussian());
        }
        return a;
    }
}
