package org.erasediff.dl4j.unet;

import java.util.Random;
import java.util.stream.Stream;
import org.erasediff.core.sampling.NoisePredictor;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UNetInferenceTest {

    private static final UNetConfig TINY = UNetConfig.builder().optImageSize(8).optWidths(8, 16).optGroups(4)
            .optAttentionHeads(2).optNumClasses(3).optTimeEmbeddingBase(16).optTimeEmbeddingWidth(32).optSeed(3)
            .build();

    static Stream<UNetConfig> configs() {
        return Stream.of(
                TINY,
                TINY.toBuilder().optNumClasses(0).optImageChannels(3).build(),
                TINY.toBuilder().optAttention(false).optResBlocksPerLevel(2).optGroups(2).build(),
                TINY.toBuilder().optImageSize(12).optWidths(8, 8, 16).optAttentionHeads(4).build());
    }

    /** Every parameter random (γ and β too, which start at 1 and 0), conv_in's bias far from 0. */
    private static DiffusionGraph randomised(UNetConfig config, long seed) {
        DiffusionGraph graph = UNetBuilder.buildDiffusionGraph(config);
        Nd4j.getRandom().setSeed(seed);
        for (SDVariable v : graph.sameDiff().variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                INDArray a = v.getArr();
                a.addi(Nd4j.randn(DataType.FLOAT, a.shape()).muli(0.3));
            }
        }
        graph.sameDiff().getArrForVarName("conv_in_b").addi(40);
        return graph;
    }

    private static INDArray images(UNetConfig config, int batch, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.FLOAT, batch, config.imageChannels(), config.imageSize(), config.imageSize());
    }

    private static int[] labels(UNetConfig config, int batch, Random r) {
        if (!config.isConditional()) {
            return null;
        }
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % 3 == 0 ? NoisePredictor.NULL_LABEL : r.nextInt(config.numClasses());
        }
        return labels;
    }

    private static double relativeError(INDArray expected, INDArray actual) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()));
        return expected.sub(actual).amaxNumber().doubleValue() / Math.max(1.0, expected.amaxNumber().doubleValue());
    }

    @ParameterizedTest
    @MethodSource("configs")
    void computesWhatTheGraphComputes(UNetConfig config) {
        DiffusionGraph graph = randomised(config, 11);
        DiffusionGraph fast = UNetInference.attach(graph, config);
        assertTrue(fast.hasInference());
        assertFalse(graph.hasInference());
        Random r = new Random(5);
        for (int batch : new int[] {1, 5, 5, 2}) {
            INDArray x = images(config, batch, batch);
            int[] t = r.ints(batch, 0, 1000).toArray();
            int[] labels = labels(config, batch, r);
            INDArray expected = graph.predictNoise(x, t, labels);
            INDArray actual = fast.predictNoise(x, t, labels);
            assertTrue(relativeError(expected, actual) < 2e-5,
                    "batch " + batch + ": " + relativeError(expected, actual));
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void bothSiluPathsComputeWhatTheGraphComputes(UNetConfig config) {
        assertTrue(VectorSilu.AVAILABLE, "the tests run with --add-modules jdk.incubator.vector (the pom's argLine)");
        DiffusionGraph graph = randomised(config, 12);
        DiffusionGraph vector = graph.withInference(new UNetInference(config, true));
        DiffusionGraph nd4j = graph.withInference(new UNetInference(config, false));
        Random r = new Random(6);
        INDArray x = images(config, 3, 7);
        int[] t = r.ints(3, 0, 1000).toArray();
        int[] labels = labels(config, 3, r);
        INDArray expected = graph.predictNoise(x, t, labels);
        assertTrue(relativeError(expected, vector.predictNoise(x, t, labels)) < 2e-5);
        assertTrue(relativeError(expected, nd4j.predictNoise(x, t, labels)) < 2e-5);
    }

    @Test
    void vectorSiluIsSiluAcrossTheFloatRange() {
        float[] values = new float[1003];
        for (int i = 0; i < values.length; i++) {
            values[i] = -120f + 240f * i / (values.length - 1);
        }
        values[1] = -1e30f;
        values[2] = 0f;
        values[values.length - 1] = 1e30f;
        float[] silu = values.clone();
        VectorSilu.apply(silu, silu.length);
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            double expected = v / (1 + Math.exp(-v));
            double error = Math.abs(silu[i] - expected);
            assertTrue(error <= 2e-6 * Math.max(1, Math.abs(expected)),
                    "SiLU(" + v + ") = " + silu[i] + ", expected " + expected);
        }
    }

    @Test
    void returnedPredictionsAreTheCallersAndInputsAreKept() {
        DiffusionGraph fast = UNetInference.attach(randomised(TINY, 1), TINY);
        INDArray x = images(TINY, 4, 1);
        INDArray xCopy = x.dup();
        int[] t = {1, 2, 3, 4};
        int[] labels = {0, 1, 2, NoisePredictor.NULL_LABEL};
        INDArray first = fast.predictNoise(x, t, labels);
        INDArray kept = first.dup();
        INDArray second = fast.predictNoise(images(TINY, 4, 2), t, labels);
        assertEquals(kept, first, "a later call must not write into an earlier result");
        assertFalse(kept.equals(second));
        assertEquals(xCopy, x);
        assertEquals(kept, fast.predictNoise(x, t, labels), "same inputs, same prediction (working memory reused)");
    }

    @Test
    void batchSizesComeAndGoAndReleasedMemoryIsRebuilt() {
        DiffusionGraph graph = randomised(TINY, 8);
        DiffusionGraph fast = UNetInference.attach(graph, TINY);
        Random r = new Random(9);
        // three sizes: the least recently used size's working memory is freed, then rebuilt
        for (int batch : new int[] {2, 3, 4, 2, 3, 1, 4}) {
            INDArray x = images(TINY, batch, 20 + batch);
            int[] t = r.ints(batch, 0, 1000).toArray();
            int[] labels = labels(TINY, batch, r);
            assertTrue(relativeError(graph.predictNoise(x, t, labels), fast.predictNoise(x, t, labels)) < 2e-5,
                    "batch " + batch);
            if (batch == 1) {
                fast.releasePredictionMemory();
            }
        }
    }

    @Test
    void readsTheCurrentWeightsAndCopiesKeepTheForward() {
        DiffusionGraph graph = randomised(TINY, 2);
        DiffusionGraph fast = UNetInference.attach(graph, TINY);
        INDArray x = images(TINY, 3, 3);
        int[] t = {10, 200, 999};
        int[] labels = {2, NoisePredictor.NULL_LABEL, 0};
        INDArray before = fast.predictNoise(x, t, labels);
        graph.sameDiff().getArrForVarName("up0_res0_conv2_W").muli(1.5);
        INDArray after = fast.predictNoise(x, t, labels);
        assertFalse(before.equals(after));
        assertTrue(relativeError(graph.predictNoise(x, t, labels), after) < 2e-5);

        DiffusionGraph copy = fast.rewrap(graph.sameDiff().dup());
        assertTrue(copy.hasInference());
        assertEquals(after, copy.predictNoise(x, t, labels));
        NoisePredictor concurrent = fast.concurrentCopy().orElseThrow();
        assertEquals(after, concurrent.predictNoise(x, t, labels));
    }

    @Test
    void refusesAGraphOfAnotherConfig() {
        DiffusionGraph graph = randomised(TINY, 4);
        IllegalArgumentException wider = assertThrows(IllegalArgumentException.class,
                () -> UNetInference.attach(graph, TINY.toBuilder().optWidths(8, 24).build()));
        assertTrue(wider.getMessage().contains("parameter '"), wider.getMessage());
        IllegalArgumentException noAttention = assertThrows(IllegalArgumentException.class,
                () -> UNetInference.attach(graph, TINY.toBuilder().optAttention(false).build()));
        assertTrue(noAttention.getMessage().contains("mid_attn"), noAttention.getMessage());
        // same parameters, other norm settings: only the numerical check can tell
        IllegalArgumentException groups = assertThrows(IllegalArgumentException.class,
                () -> UNetInference.attach(graph, TINY.toBuilder().optGroups(2).build()));
        assertTrue(groups.getMessage().contains("differs from it by"), groups.getMessage());
    }

    @Test
    void refusesADoubleGraph() {
        SameDiff sd = UNetBuilder.build(TINY, DataType.DOUBLE);
        DiffusionGraph graph = new DiffusionGraph(sd, UNetBuilder.spec(TINY));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UNetInference.attach(graph, TINY));
        assertTrue(e.getMessage().contains("DOUBLE"), e.getMessage());
    }
}
