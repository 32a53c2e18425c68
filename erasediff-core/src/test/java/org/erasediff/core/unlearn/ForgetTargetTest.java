package org.erasediff.core.unlearn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.erasediff.core.sampling.NoisePredictor;
import org.erasediff.core.schedule.NoiseSchedule;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ForgetTargetTest {

    private static Random rng(long seed) {
        return Nd4j.getRandomFactory().getNewRandomInstance(seed);
    }

    @Test
    void uniformNoiseLiesInTheUnitIntervalWithMeanOneHalf() {
        for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            INDArray out = Nd4j.createUninitialized(type, 8, 1, 28, 28);
            assertSame(out, ForgetTarget.uniform().fillTargetNoise(out, rng(3)));
            assertTrue(out.minNumber().doubleValue() >= 0.0, type + " min " + out.minNumber());
            assertTrue(out.maxNumber().doubleValue() < 1.0, type + " max " + out.maxNumber());
            // n = 6272, standard error of the mean ≈ 0.0036
            assertEquals(0.5, out.meanNumber().doubleValue(), 0.02, type.toString());
        }
    }

    @Test
    void shiftedGaussianHasTheRequestedMeanAndUnitVariance() {
        INDArray out = ForgetTarget.shiftedGaussian(0.75).drawTargetNoise(DataType.FLOAT, new long[]{16, 1, 28, 28}, rng(5));
        assertArrayEquals(new long[]{16, 1, 28, 28}, out.shape());
        // n = 12544, standard error ≈ 0.009
        assertEquals(0.75, out.meanNumber().doubleValue(), 0.04);
        assertEquals(1.0, out.stdNumber().doubleValue(), 0.04);
    }

    @Test
    void noiseIsReproducibleFromTheSeed() {
        INDArray a = ForgetTarget.uniform().drawTargetNoise(DataType.FLOAT, new long[]{4, 5}, rng(11));
        INDArray b = ForgetTarget.uniform().drawTargetNoise(DataType.FLOAT, new long[]{4, 5}, rng(11));
        INDArray c = ForgetTarget.uniform().drawTargetNoise(DataType.FLOAT, new long[]{4, 5}, rng(12));
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void noiseNeedsAFloatingPointArray() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ForgetTarget.uniform().fillTargetNoise(Nd4j.zeros(DataType.INT32, 3), rng(1)));
        assertEquals("out must be FLOAT or DOUBLE, was INT", e.getMessage());
    }

    @Test
    void contiguousViewsAreFilledAndStridedViewsRejected() {
        INDArray matrix = Nd4j.zeros(DataType.FLOAT, 6, 4);
        INDArray rows = matrix.get(NDArrayIndex.interval(2, 4), NDArrayIndex.all());
        ForgetTarget.shiftedGaussian(5.0).fillTargetNoise(rows, rng(2));
        assertEquals(0.0, matrix.getRow(1).sumNumber().doubleValue());
        assertEquals(0.0, matrix.getRow(4).sumNumber().doubleValue());
        for (int i = 0; i < 8; i++) {
            assertNotEquals(0.0, rows.getDouble(i / 4, i % 4), "element " + i);
        }
        INDArray columns = Nd4j.zeros(DataType.FLOAT, 6, 8).get(NDArrayIndex.all(), NDArrayIndex.interval(2, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ForgetTarget.shiftedGaussian(5.0).fillTargetNoise(columns, rng(2)));
        assertTrue(e.getMessage().startsWith("out must be contiguous"), e.getMessage());
    }

    private static boolean[] forgotten(int numClasses, int... classes) {
        boolean[] f = new boolean[numClasses];
        for (int c : classes) {
            f[c] = true;
        }
        return f;
    }

    @Test
    void randomOtherClassDrawsOneClassPerBatchAndNeverAForgottenOne() {
        SplittableRandom random = new SplittableRandom(7);
        boolean[] seen = new boolean[10];
        int[] batch = new int[16];
        for (int b = 0; b < 300; b++) {
            ForgetTarget.randomOtherClass().pseudoLabels(forgotten(10, 3, 8), 10, random, batch);
            for (int c : batch) {
                assertEquals(batch[0], c, "one class for the whole batch");
            }
            seen[batch[0]] = true;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(c != 3 && c != 8, seen[c], "class " + c);
        }
    }

    @Test
    void randomOtherClassPerSampleVariesWithinABatchAndNeverAForgottenOne() {
        int[] labels = new int[500];
        ForgetTarget.randomOtherClassPerSample().pseudoLabels(forgotten(10, 3, 8), 10, new SplittableRandom(7), labels);
        boolean[] seen = new boolean[10];
        for (int c : labels) {
            seen[c] = true;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(c != 3 && c != 8, seen[c], "class " + c);
        }
    }

    @Test
    void randomOtherClassWithTwoClassesPicksTheOtherOne() {
        int[] labels = new int[3];
        ForgetTarget.randomOtherClass().pseudoLabels(forgotten(2, 1), 2, new SplittableRandom(1), labels);
        assertArrayEquals(new int[]{0, 0, 0}, labels);
        IllegalArgumentException all = assertThrows(IllegalArgumentException.class,
                () -> ForgetTarget.randomOtherClass().checkAgainst(forgotten(2, 0, 1), 2));
        assertTrue(all.getMessage().contains("covers all 2 classes"), all.getMessage());
    }

    @Test
    void fixedAndAnchorLabelsAreConstantAndNeverForgotten() {
        int[] two = new int[2];
        ForgetTarget.fixedClass(5).pseudoLabels(forgotten(10, 0), 10, null, two);
        assertArrayEquals(new int[]{5, 5}, two);
        int[] one = new int[1];
        ForgetTarget.anchorLabel(NoisePredictor.NULL_LABEL).pseudoLabels(forgotten(10, 0), 10, null, one);
        assertArrayEquals(new int[]{NoisePredictor.NULL_LABEL}, one);
        IllegalArgumentException same = assertThrows(IllegalArgumentException.class,
                () -> ForgetTarget.fixedClass(2).checkAgainst(forgotten(10, 2), 10));
        assertEquals("the FIXED_CLASS label 2 is itself being forgotten: choose a class outside the forget set",
                same.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> ForgetTarget.fixedClass(10).checkAgainst(forgotten(10, 2), 10));
        assertEquals("label must be in [0, 10) for FIXED_CLASS, was 10", range.getMessage());
    }

    @Test
    void pseudoLabelRecordValidatesItsLabel() {
        assertThrows(IllegalArgumentException.class, () -> ForgetTarget.fixedClass(-1));
        assertThrows(IllegalArgumentException.class, () -> ForgetTarget.anchorLabel(-2));
        IllegalArgumentException extra = assertThrows(IllegalArgumentException.class,
                () -> new ForgetTarget.PseudoLabel(ForgetTarget.PseudoLabelMode.RANDOM_OTHER_CLASS, 4));
        assertEquals("label must be absent for RANDOM_OTHER_CLASS, was 4", extra.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ForgetTarget.shiftedGaussian(Double.NaN));
    }

    @Test
    void onlyPseudoLabelsNeedAConditionalModel() {
        assertFalse(ForgetTarget.uniform().requiresConditionalModel());
        assertFalse(ForgetTarget.shiftedGaussian(1).requiresConditionalModel());
        assertTrue(ForgetTarget.randomOtherClass().requiresConditionalModel());
        assertFalse(ForgetTarget.remainPosterior(100).requiresConditionalModel());
    }

    /**
     * With one remain image the posterior is that image, so the target is exactly the noise that
     * denoises x_t into it; with two, the weights are the softmax of −‖x_t − a·x_r‖²/(2s²),
     * computed here by hand.
     */
    @Test
    void remainPosteriorTargetDenoisesTowardTheRemainImages() {
        NoiseSchedule schedule = NoiseSchedule.linear();
        ForgetTarget.RemainPosterior target = ForgetTarget.remainPosterior(100);
        INDArray xt = Nd4j.createFromArray(new float[] {0.2f, -0.4f, 0.9f, 0.1f, 0.3f, -0.7f}).reshape(2, 1, 1, 3);
        int[] t = {400, 900};
        INDArray one = Nd4j.createFromArray(new float[] {1f, -1f, 0.5f}).reshape(1, 1, 1, 3);
        INDArray out = target.fillTarget(xt, t, one, schedule, xt.ulike());
        for (int i = 0; i < 2; i++) {
            double a = schedule.sqrtAlphaBar(t[i]);
            double s = schedule.sqrtOneMinusAlphaBar(t[i]);
            for (int k = 0; k < 3; k++) {
                double expected = (xt.getDouble(i, 0, 0, k) - a * one.getDouble(0, 0, 0, k)) / s;
                assertEquals(expected, out.getDouble(i, 0, 0, k), 1e-5, "row " + i + " pixel " + k);
            }
        }

        double[][] r = {{1, -1, 0.5}, {-1, 0.2, 0.8}};
        INDArray two = Nd4j.createFromArray(new float[][] {{1f, -1f, 0.5f}, {-1f, 0.2f, 0.8f}}).reshape(2, 1, 1, 3);
        out = target.fillTarget(xt, t, two, schedule, xt.ulike());
        for (int i = 0; i < 2; i++) {
            double a = schedule.sqrtAlphaBar(t[i]);
            double s = schedule.sqrtOneMinusAlphaBar(t[i]);
            double[] d = new double[2];
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 3; k++) {
                    double diff = xt.getDouble(i, 0, 0, k) - a * r[j][k];
                    d[j] += diff * diff;
                }
            }
            double w0 = 1 / (1 + Math.exp(-(d[1] - d[0]) / (2 * s * s)));
            for (int k = 0; k < 3; k++) {
                double x0 = w0 * r[0][k] + (1 - w0) * r[1][k];
                assertEquals((xt.getDouble(i, 0, 0, k) - a * x0) / s, out.getDouble(i, 0, 0, k), 1e-5);
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> target.fillTarget(xt, new int[] {1}, two, schedule, xt.ulike()), "one timestep per row");
    }

    /**
     * The same-class posterior of a row is the plain posterior over the remain images of the row's
     * label: here row 0 (label 0) over images 0 and 2, row 1 (label 1) over image 1 alone; a label
     * without a remain image is refused; the variant needs a pool and a conditional model and keeps
     * its flag through JSON, which leaves it out when unset.
     */
    @Test
    void theSameClassPosteriorIsTakenOverTheRowsOwnClass() throws Exception {
        NoiseSchedule schedule = NoiseSchedule.linear();
        ForgetTarget.RemainPosterior target = ForgetTarget.remainPosteriorSameClass(100, 4);
        INDArray xt = Nd4j.createFromArray(new float[] {0.2f, -0.4f, 0.9f, 0.1f, 0.3f, -0.7f}).reshape(2, 1, 1, 3);
        int[] t = {400, 900};
        float[][] r = {{1f, -1f, 0.5f}, {-1f, 0.2f, 0.8f}, {0.3f, 0.3f, -0.9f}};
        INDArray remain = Nd4j.createFromArray(r).reshape(3, 1, 1, 3);
        INDArray out = target.fillTarget(xt, t, new int[] {0, 1}, remain, new int[] {0, 1, 0}, schedule, xt.ulike());
        INDArray ownClass0 = Nd4j.createFromArray(new float[][] {r[0], r[2]}).reshape(2, 1, 1, 3);
        INDArray ownClass1 = Nd4j.createFromArray(new float[][] {r[1]}).reshape(1, 1, 1, 3);
        INDArray all0 = ForgetTarget.remainPosterior(100).fillTarget(xt, t, ownClass0, schedule, xt.ulike());
        INDArray all1 = ForgetTarget.remainPosterior(100).fillTarget(xt, t, ownClass1, schedule, xt.ulike());
        assertTrue(all0.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)).equalsWithEps(
                out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)), 1e-6), "row 0: class 0's images only");
        assertTrue(all1.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)).equalsWithEps(
                out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)), 1e-6), "row 1: class 1's image only");
        INDArray everything = ForgetTarget.remainPosterior(100).fillTarget(xt, t, remain, schedule, xt.ulike());
        assertFalse(everything.equalsWithEps(out, 1e-4), "not the posterior over every class");

        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> target.fillTarget(xt, t,
                new int[] {0, 2}, remain, new int[] {0, 1, 0}, schedule, xt.ulike()));
        assertTrue(none.getMessage().contains("label 2"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> target.fillTarget(xt, t, new int[] {0, 1}, remain, null,
                schedule, xt.ulike()), "labels for both or neither");
        assertThrows(IllegalArgumentException.class, () -> ForgetTarget.remainPosteriorSameClass(100, 0));
        assertTrue(target.requiresConditionalModel());

        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String text = json.writeValueAsString(target);
        assertTrue(text.contains("\"sameClass\":true"), text);
        assertEquals(target, json.readValue(text, ForgetTarget.class));
        String plain = json.writeValueAsString(ForgetTarget.remainPosterior(100, 4));
        assertFalse(plain.contains("sameClass"), plain);
        assertEquals(ForgetTarget.remainPosterior(100, 4), json.readValue(plain, ForgetTarget.class));
    }

    /**
     * Many remain images at MNIST-like scales, where the posterior is nearly one-hot: the target
     * matches the definition evaluated pixel by pixel in double, and x_t is not modified.
     */
    @Test
    void remainPosteriorTargetMatchesTheDefinitionOverALargePool() {
        NoiseSchedule schedule = NoiseSchedule.linear();
        ForgetTarget.RemainPosterior target = ForgetTarget.remainPosterior(300, 300);
        java.util.Random rnd = new java.util.Random(3);
        int bf = 7;
        int br = 300;
        int d = 64;
        float[] xv = new float[bf * d];
        float[] rv = new float[br * d];
        for (int k = 0; k < xv.length; k++) {
            xv[k] = (float) rnd.nextGaussian();
        }
        for (int k = 0; k < rv.length; k++) {
            rv[k] = rnd.nextFloat() * 2 - 1;
        }
        INDArray xt = Nd4j.createFromArray(xv).reshape(bf, 1, 8, 8);
        INDArray before = xt.dup();
        INDArray remain = Nd4j.createFromArray(rv).reshape(br, 1, 8, 8);
        int[] t = {300, 350, 420, 500, 650, 800, 999};
        INDArray out = target.fillTarget(xt, t, remain, schedule, xt.ulike());
        assertEquals(before, xt, "x_t is not modified");
        for (int i = 0; i < bf; i++) {
            double a = schedule.sqrtAlphaBar(t[i]);
            double s = schedule.sqrtOneMinusAlphaBar(t[i]);
            double[] logit = new double[br];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < br; j++) {
                double dist = 0;
                for (int k = 0; k < d; k++) {
                    double diff = xv[i * d + k] - a * rv[j * d + k];
                    dist += diff * diff;
                }
                logit[j] = -dist / (2 * s * s);
                max = Math.max(max, logit[j]);
            }
            double sum = 0;
            for (int j = 0; j < br; j++) {
                sum += Math.exp(logit[j] - max);
            }
            for (int k = 0; k < d; k++) {
                double x0 = 0;
                for (int j = 0; j < br; j++) {
                    x0 += Math.exp(logit[j] - max) / sum * rv[j * d + k];
                }
                assertEquals((xv[i * d + k] - a * x0) / s, out.getDouble(i, 0, k / 8, k % 8), 1e-4,
                        "row " + i + " pixel " + k);
            }
        }
    }

    /**
     * The tempered posterior: temperature 1 is the exact one; other temperatures match the
     * definition (log-weights divided by τ), and a huge temperature gives the remain images' plain
     * mean.
     */
    @Test
    void temperedRemainPosteriorSpreadsTheWeights() {
        NoiseSchedule schedule = NoiseSchedule.linear();
        INDArray xt = Nd4j.createFromArray(new float[] {0.2f, -0.4f, 0.9f, 0.1f, 0.3f, -0.7f}).reshape(2, 1, 1, 3);
        int[] t = {400, 900};
        double[][] r = {{1, -1, 0.5}, {-1, 0.2, 0.8}, {0.3, 0.3, -0.9}};
        INDArray remain = Nd4j.createFromArray(new float[][] {{1f, -1f, 0.5f}, {-1f, 0.2f, 0.8f}, {0.3f, 0.3f, -0.9f}})
                .reshape(3, 1, 1, 3);
        assertEquals(ForgetTarget.remainPosterior(100).fillTarget(xt, t, remain, schedule, xt.ulike()),
                ForgetTarget.remainPosterior(100, 0, 1.0).fillTarget(xt, t, remain, schedule, xt.ulike()));
        for (double tau : new double[] {3.0, 1e12}) {
            INDArray out = ForgetTarget.remainPosterior(100, 0, tau).fillTarget(xt, t, remain, schedule, xt.ulike());
            for (int i = 0; i < 2; i++) {
                double a = schedule.sqrtAlphaBar(t[i]);
                double s = schedule.sqrtOneMinusAlphaBar(t[i]);
                double[] w = new double[3];
                double sum = 0;
                for (int j = 0; j < 3; j++) {
                    double dist = 0;
                    for (int k = 0; k < 3; k++) {
                        double diff = xt.getDouble(i, 0, 0, k) - a * r[j][k];
                        dist += diff * diff;
                    }
                    w[j] = Math.exp(-dist / (2 * s * s * tau));
                    sum += w[j];
                }
                for (int k = 0; k < 3; k++) {
                    double x0 = 0;
                    double mean = 0;
                    for (int j = 0; j < 3; j++) {
                        x0 += w[j] / sum * r[j][k];
                        mean += r[j][k] / 3;
                    }
                    assertEquals((xt.getDouble(i, 0, 0, k) - a * x0) / s, out.getDouble(i, 0, 0, k), 1e-5);
                    if (tau > 1e6) {
                        assertEquals((xt.getDouble(i, 0, 0, k) - a * mean) / s, out.getDouble(i, 0, 0, k), 1e-5,
                                "a huge temperature: the plain mean");
                    }
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ForgetTarget.remainPosterior(100, 0, 0.0));
        assertThrows(IllegalArgumentException.class, () -> ForgetTarget.remainPosterior(100, 0, -2.0));
        assertThrows(IllegalArgumentException.class,
                () -> ForgetTarget.remainPosterior(100, 0, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> ForgetTarget.remainPosterior(100, 0, Double.NaN));
    }

    @Test
    void remainPosteriorTrainsFromItsSmallestTimestepOn() {
        ForgetTarget.RemainPosterior target = ForgetTarget.remainPosterior(100);
        assertEquals(100, target.timestep(0, 1000));
        assertEquals(999, target.timestep(999, 1000));
        assertEquals(550, target.timestep(500, 1000));
        assertEquals(0, ForgetTarget.remainPosterior(0).timestep(0, 1000));
        assertThrows(IllegalArgumentException.class, () -> target.timestep(5, 100), "t_min must be below T");
        assertThrows(IllegalArgumentException.class, () -> ForgetTarget.remainPosterior(-1));
        assertEquals(0, target.pool(), "the step's remain batch by default");
        assertThrows(IllegalArgumentException.class, () -> ForgetTarget.remainPosterior(100, -1));
    }

    @Test
    void jsonRoundTrip() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (ForgetTarget t : List.of(ForgetTarget.uniform(), ForgetTarget.shiftedGaussian(0.5),
                ForgetTarget.fixedClass(3), ForgetTarget.randomOtherClass(), ForgetTarget.anchorLabel(-1),
                ForgetTarget.remainPosterior(250), ForgetTarget.remainPosterior(300, 2048),
                ForgetTarget.remainPosterior(300, 0, 4.0))) {
            String text = json.writeValueAsString(t);
            assertEquals(t, json.readValue(text, ForgetTarget.class), text);
        }
        assertEquals("{\"type\":\"UNIFORM\"}", json.writeValueAsString(ForgetTarget.uniform()));
        assertEquals("{\"type\":\"PSEUDO_LABEL\",\"mode\":\"RANDOM_OTHER_CLASS\"}",
                json.writeValueAsString(ForgetTarget.randomOtherClass()));
        assertEquals("{\"type\":\"REMAIN_POSTERIOR\",\"minTimestep\":100}",
                json.writeValueAsString(ForgetTarget.remainPosterior(100)), "no pool: the format of earlier runs");
        assertEquals("{\"type\":\"REMAIN_POSTERIOR\",\"minTimestep\":300,\"pool\":2048}",
                json.writeValueAsString(ForgetTarget.remainPosterior(300, 2048)));
        assertEquals(ForgetTarget.remainPosterior(300),
                json.readValue("{\"type\":\"REMAIN_POSTERIOR\",\"minTimestep\":300}", ForgetTarget.class));
        assertEquals("{\"type\":\"REMAIN_POSTERIOR\",\"minTimestep\":300}",
                json.writeValueAsString(ForgetTarget.remainPosterior(300, 0, 1.0)), "temperature 1 is the default");
        assertEquals("{\"type\":\"REMAIN_POSTERIOR\",\"minTimestep\":300,\"temperature\":4.0}",
                json.writeValueAsString(ForgetTarget.remainPosterior(300, 0, 4.0)));
    }
}
