package org.erasediff.dl4j.unet;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UNetBuilderTest {

    private static final int BATCH = 8;

    /** Groups of 2 and 4 channels: with one channel per group a bias before a norm has no gradient. */
    private static final UNetConfig TINY = UNetConfig.builder().optWidths(8, 16).optImageSize(8).optGroups(4)
            .optTimeEmbeddingBase(8).optTimeEmbeddingWidth(16).optNumClasses(3).optSeed(5).build();

    private static final Pattern SCHEME = Pattern.compile(
            "time_mlp_[12]_[Wb]|class_emb_W|conv_(in|out)_[Wb]|out_norm_(gamma|beta)"
                    + "|down\\d+_downsample_[Wb]|mid_attn_(norm_gamma|norm_beta|W[qkvo])"
                    + "|(down\\d+_res\\d+|mid_res0|up\\d+_res\\d+)_(norm[12]_(gamma|beta)|(conv[12]|emb|skip)_[Wb])");

    @Test
    void conditionalGraphHasTheDocumentedInterface() {
        SameDiff sd = UNetBuilder.build(TINY);
        assertEquals(VariableType.PLACEHOLDER, sd.getVariable(UNetBuilder.INPUT_X).getVariableType());
        assertEquals(DataType.FLOAT, sd.getVariable(UNetBuilder.INPUT_T).dataType());
        assertEquals(DataType.INT32, sd.getVariable(UNetBuilder.INPUT_LABEL).dataType());
        INDArray eps = sd.outputSingle(feed(TINY, new Random(1), DataType.FLOAT, 0), UNetBuilder.OUTPUT_EPS);
        assertArrayEquals(new long[] {BATCH, 1, 8, 8}, eps.shape());
        assertFalse(eps.isNaN().any() || eps.isInfinite().any());
        assertTrue(eps.std().getDouble(0) > 1e-3, "output should not be constant");
    }

    @Test
    void unconditionalGraphHasNoLabelAndMultiChannelOutput() {
        UNetConfig config = TINY.toBuilder().optNumClasses(0).optImageChannels(3).optAttention(false).build();
        SameDiff sd = UNetBuilder.build(config);
        assertFalse(sd.hasVariable(UNetBuilder.INPUT_LABEL));
        assertFalse(sd.hasVariable("class_emb_W"));
        assertFalse(sd.hasVariable("mid_attn_Wq"));
        INDArray eps = sd.outputSingle(feed(config, new Random(2), DataType.FLOAT, 0), UNetBuilder.OUTPUT_EPS);
        assertArrayEquals(new long[] {BATCH, 3, 8, 8}, eps.shape());
        assertFalse(eps.isNaN().any());
    }

    @Test
    void everyParameterGetsAFiniteNonZeroGradient() {
        UNetConfig config = TINY.toBuilder().optResBlocksPerLevel(2).build();
        SameDiff sd = UNetBuilder.build(config);
        addMseLoss(sd, config);
        Map<String, INDArray> f = feed(config, new Random(3), DataType.FLOAT, 0);
        f.put("noise", Nd4j.randn(DataType.FLOAT, BATCH, 1, 8, 8));
        List<String> params = parameterNames(sd);
        Map<String, INDArray> grads = sd.calculateGradients(f, params);
        for (String p : params) {
            INDArray g = grads.get(p);
            assertNotNull(g, p);
            assertArrayEquals(sd.getVariable(p).getArr().shape(), g.shape(), p);
            assertFalse(g.isNaN().any() || g.isInfinite().any(), p);
            assertTrue(g.norm2Number().doubleValue() > 0, "zero gradient for " + p);
        }
    }

    @Test
    void parameterNamesFollowTheScheme() {
        UNetConfig config = UNetConfig.builder().optWidths(8, 16, 16).optImageSize(8).optResBlocksPerLevel(2)
                .optTimeEmbeddingBase(8).optTimeEmbeddingWidth(16).build();
        SameDiff sd = UNetBuilder.build(config);
        List<String> params = parameterNames(sd);
        for (String p : params) {
            assertTrue(SCHEME.matcher(p).matches(), "unexpected parameter name " + p);
        }
        assertEquals(Set.of("mid_attn_norm_gamma", "mid_attn_norm_beta", "mid_attn_Wq", "mid_attn_Wk",
                "mid_attn_Wv", "mid_attn_Wo"), select(params, "mid_attn_.*"));
        assertEquals(Set.of("time_mlp_1_W", "time_mlp_1_b", "time_mlp_2_W", "time_mlp_2_b"),
                select(params, "time_mlp_.*"));
        assertEquals(Set.of("down0_downsample_W", "down0_downsample_b", "down1_downsample_W",
                "down1_downsample_b"), select(params, "down\\d_downsample_.*"));
        // width changes 8 -> 16 only in the first block of level 1 on the way down, 16 -> 16 at the
        // lowest level, and at the first block of each level on the way up (concatenated inputs)
        assertEquals(Set.of("down1_res0_skip_W", "up1_res0_skip_W", "up0_res0_skip_W"),
                select(params, ".*_skip_W"));
        assertEquals(10, select(params, "up0_res1_.*").size());
        assertEquals(List.of(11L, 16L), List.of(sd.getVariable("class_emb_W").getArr().shape()[0],
                sd.getVariable("class_emb_W").getArr().shape()[1]));
    }

    @Test
    void parameterCountMatchesTheClosedForm() {
        List<UNetConfig> configs = List.of(TINY,
                TINY.toBuilder().optNumClasses(0).optAttention(false).build(),
                TINY.toBuilder().optResBlocksPerLevel(3).optImageChannels(2).build(),
                TINY.toBuilder().optWidths(8, 16, 24).optGroups(8).build(),
                TINY.toBuilder().optWidths(16).build());
        for (UNetConfig config : configs) {
            SameDiff sd = UNetBuilder.build(config);
            long count = parameterNames(sd).stream().mapToLong(p -> sd.getVariable(p).getArr().length()).sum();
            assertEquals(UNetCost.of(config, 1).parameterCount(), count, config.toJson());
        }
    }

    @Test
    void nullClassIsALearnedLabel() {
        SameDiff sd = UNetBuilder.build(TINY);
        Map<String, INDArray> f = feed(TINY, new Random(4), DataType.FLOAT, 0);
        INDArray withClass = sd.outputSingle(f, UNetBuilder.OUTPUT_EPS).dup();
        f.put(UNetBuilder.INPUT_LABEL, Nd4j.valueArrayOf(new long[] {BATCH}, TINY.nullClass(), DataType.INT32));
        INDArray withNull = sd.outputSingle(f, UNetBuilder.OUTPUT_EPS);
        assertFalse(withNull.isNaN().any());
        assertTrue(withNull.sub(withClass).amaxNumber().doubleValue() > 1e-4, "null class has no effect");
        INDArray row = sd.getVariable("class_emb_W").getArr().getRow(TINY.nullClass());
        assertTrue(row.norm2Number().doubleValue() > 0, "null-class embedding row must be initialised");
    }

    @Test
    void timestepChangesThePrediction() {
        SameDiff sd = UNetBuilder.build(TINY);
        Map<String, INDArray> f = feed(TINY, new Random(6), DataType.FLOAT, 0);
        INDArray early = sd.outputSingle(f, UNetBuilder.OUTPUT_EPS).dup();
        f.put(UNetBuilder.INPUT_T, Nd4j.valueArrayOf(new long[] {BATCH}, 900.0, DataType.FLOAT));
        INDArray late = sd.outputSingle(f, UNetBuilder.OUTPUT_EPS);
        assertTrue(late.sub(early).amaxNumber().doubleValue() > 1e-4);
    }

    @Test
    void initialisationIsSeededAndScaled() {
        SameDiff a = UNetBuilder.build(TINY);
        SameDiff b = UNetBuilder.build(TINY);
        SameDiff c = UNetBuilder.build(TINY.toBuilder().optSeed(6).build());
        for (String p : parameterNames(a)) {
            assertEquals(a.getVariable(p).getArr(), b.getVariable(p).getArr(), p);
        }
        assertNotEquals(a.getVariable("conv_in_W").getArr(), c.getVariable("conv_in_W").getArr());
        assertEquals(0.0, a.getVariable("conv_in_b").getArr().amaxNumber().doubleValue());
        assertEquals(1.0, a.getVariable("out_norm_gamma").getArr().minNumber().doubleValue());

        SameDiff full = UNetBuilder.build(UNetConfig.builder().build());
        INDArray w = full.getVariable("up0_res0_conv1_W").getArr();          // [3, 3, 96, 32], fan_in 864
        assertEquals(1 / Math.sqrt(864), w.stdNumber().doubleValue(), 0.03 / Math.sqrt(864));
        assertEquals(0.0, w.meanNumber().doubleValue(), 0.05 / Math.sqrt(864));

        UNetConfig zero = TINY.toBuilder().optOutputInitScale(0).build();
        SameDiff z = UNetBuilder.build(zero);
        INDArray eps = z.outputSingle(feed(zero, new Random(7), DataType.FLOAT, 0), UNetBuilder.OUTPUT_EPS);
        assertEquals(0.0, eps.amaxNumber().doubleValue());
    }

    @Test
    void floatGradientsAgreeWithDoublePrecision() {
        Map<String, INDArray> gf = sumLossGradients(DataType.FLOAT);
        Map<String, INDArray> gd = sumLossGradients(DataType.DOUBLE);
        for (Map.Entry<String, INDArray> e : gd.entrySet()) {
            INDArray d = e.getValue();
            INDArray f = gf.get(e.getKey()).castTo(DataType.DOUBLE);
            double rel = f.sub(d).norm2Number().doubleValue() / Math.max(1e-12, d.norm2Number().doubleValue());
            assertTrue(rel < 1e-3, e.getKey() + ": relative error " + rel);
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesInDoublePrecision() {
        SameDiff sd = UNetBuilder.build(TINY, DataType.DOUBLE);
        Map<String, INDArray> f = feed(TINY, new Random(8), DataType.DOUBLE, 1);
        addSumLoss(sd, TINY, DataType.DOUBLE);
        List<String> checked = List.of("time_mlp_1_W", "class_emb_W", "conv_in_W", "down0_res0_norm1_gamma",
                "down0_res0_emb_b", "down1_res0_skip_W", "mid_attn_Wq", "mid_attn_Wo", "mid_attn_norm_beta",
                "up0_res0_conv2_W", "out_norm_gamma", "conv_out_W", "conv_out_b");
        Map<String, INDArray> grads = sd.calculateGradients(f, checked);
        for (String p : checked) {
            INDArray param = sd.getVariable(p).getArr();
            for (long i : new long[] {0, param.length() / 2, param.length() - 1}) {
                double orig = param.getDouble(i);
                double h = 1e-5;
                param.putScalar(i, orig + h);
                double plus = sd.outputSingle(f, "loss").getDouble(0);
                param.putScalar(i, orig - h);
                double minus = sd.outputSingle(f, "loss").getDouble(0);
                param.putScalar(i, orig);
                double numeric = (plus - minus) / (2 * h);
                double analytic = grads.get(p).getDouble(i);
                double err = Math.abs(numeric - analytic) / Math.max(1e-4, Math.abs(numeric) + Math.abs(analytic));
                assertTrue(err < 1e-5, p + "[" + i + "]: analytic " + analytic + " vs numeric " + numeric);
            }
        }
    }

    /** PLATFORM.md saw calculateGradients fail at batch 1 on another graph; this one must not. */
    @Test
    void gradientsWorkAtBatchOne() {
        SameDiff sd = UNetBuilder.build(TINY);
        sd.getVariable(UNetBuilder.OUTPUT_EPS).sum().rename("loss").markAsLoss();
        Map<String, INDArray> f = new HashMap<>();
        f.put(UNetBuilder.INPUT_X, Nd4j.randn(DataType.FLOAT, 1, 1, 8, 8));
        f.put(UNetBuilder.INPUT_T, Nd4j.createFromArray(10f));
        f.put(UNetBuilder.INPUT_LABEL, Nd4j.createFromArray(TINY.nullClass()));
        INDArray g = sd.calculateGradients(f, "conv_in_W").get("conv_in_W");
        assertTrue(g.norm2Number().doubleValue() > 0 && !g.isNaN().any());
    }

    @Test
    void rejectsNonFloatingPointDataType() {
        assertThrows(IllegalArgumentException.class, () -> UNetBuilder.build(TINY, DataType.INT32));
    }

    private static Map<String, INDArray> sumLossGradients(DataType type) {
        SameDiff sd = UNetBuilder.build(TINY, type);
        addSumLoss(sd, TINY, type);
        return sd.calculateGradients(feed(TINY, new Random(9), type, 1), parameterNames(sd));
    }

    /** loss = sum(eps ⊙ R) for a fixed random R, so that every output pixel matters differently. */
    private static void addSumLoss(SameDiff sd, UNetConfig config, DataType type) {
        INDArray r = GroupNormTest.random(new Random(10), DataType.DOUBLE, BATCH, config.imageChannels(),
                config.imageSize(), config.imageSize()).castTo(type);
        sd.getVariable(UNetBuilder.OUTPUT_EPS).mul(sd.constant(r)).sum().rename("loss").markAsLoss();
    }

    private static void addMseLoss(SameDiff sd, UNetConfig config) {
        SDVariable noise = sd.placeHolder("noise", DataType.FLOAT, -1, config.imageChannels(), config.imageSize(),
                config.imageSize());
        sd.loss().meanSquaredError("loss", noise, sd.getVariable(UNetBuilder.OUTPUT_EPS), null);
    }

    /** Random images, timesteps spread over [0, 1000), labels cycling through all classes and the null class. */
    private static Map<String, INDArray> feed(UNetConfig config, Random rnd, DataType type, int labelOffset) {
        Map<String, INDArray> f = new HashMap<>();
        f.put(UNetBuilder.INPUT_X, GroupNormTest.random(rnd, DataType.DOUBLE, BATCH, config.imageChannels(),
                config.imageSize(), config.imageSize()).castTo(type));
        double[] t = new double[BATCH];
        int[] labels = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            t[i] = rnd.nextInt(1000);
            labels[i] = config.isConditional() ? (i + labelOffset) % (config.numClasses() + 1) : 0;
        }
        f.put(UNetBuilder.INPUT_T, Nd4j.createFromArray(t).castTo(type));
        if (config.isConditional()) {
            f.put(UNetBuilder.INPUT_LABEL, Nd4j.createFromArray(labels));
        }
        return f;
    }

    private static List<String> parameterNames(SameDiff sd) {
        return sd.variables().stream().filter(v -> v.getVariableType() == VariableType.VARIABLE)
                .map(SDVariable::name).collect(Collectors.toList());
    }

    private static Set<String> select(List<String> names, String regex) {
        return names.stream().filter(n -> n.matches(regex)).collect(Collectors.toCollection(TreeSet::new));
    }
}
