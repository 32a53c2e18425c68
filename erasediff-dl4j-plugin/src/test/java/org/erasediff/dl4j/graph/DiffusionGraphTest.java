package org.erasediff.dl4j.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.erasediff.core.sampling.NoisePredictor;
import org.erasediff.core.sampling.Sampler;
import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.sampling.Solver;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.testing.TinyGraphs;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DiffusionGraphTest {

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void acceptsAGraphWithTheUsersOwnNamesAndPredicts() {
        DiffusionGraph g = new DiffusionGraph(TinyGraphs.conditional(3, 1), TinyGraphs.conditionalSpec(3));
        assertArrayEquals(new long[] {1, 6, 6}, g.imageShape());
        assertTrue(g.isConditional());
        INDArray x = Nd4j.randn(DataType.FLOAT, 8, 1, 6, 6);
        INDArray eps = g.predictNoise(x, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, new int[] {0, 1, 2, -1, 0, 1, 2, -1});
        assertArrayEquals(new long[] {8, 1, 6, 6}, eps.shape());
        // the null label is fed as index numClasses: rows 3 and 7 differ from rows with real labels
        INDArray same = Nd4j.repeat(x.slice(0).reshape(1, 1, 6, 6), 8).reshape(8, 1, 6, 6);
        INDArray e2 = g.predictNoise(same, new int[8], new int[] {0, 1, 2, -1, 0, 1, 2, -1});
        assertTrue(e2.slice(0).equalsWithEps(e2.slice(4), 1e-6));
        assertTrue(!e2.slice(0).equalsWithEps(e2.slice(3), 1e-6));

        DiffusionGraph u = new DiffusionGraph(TinyGraphs.unconditional(1), TinyGraphs.unconditionalSpec());
        assertTrue(!u.isConditional());
        assertArrayEquals(new long[] {8, 1, 6, 6}, u.predictNoise(x, new int[8], null).shape());
    }

    @Test
    void feedsOneHotLabelsAndSinusoidalTimesteps() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("noisy", DataType.FLOAT, -1, 1, 4, 4);
        SDVariable temb = sd.placeHolder("temb", DataType.FLOAT, -1, 6);
        SDVariable onehot = sd.placeHolder("y", DataType.FLOAT, -1, 5);
        SDVariable s = temb.sum(true, 1).add(onehot.mul(sd.constant(Nd4j.createFromArray(1f, 2f, 3f, 4f, 100f)))
                .sum(true, 1));
        x.add("out", s.reshape(-1, 1, 1, 1));
        DiffusionGraphSpec spec = DiffusionGraphSpec.builder("noisy", "temb", "out").timestepSinusoidal(6)
                .labels("y", LabelEncoding.ONE_HOT, 4).build();
        DiffusionGraph g = new DiffusionGraph(sd, spec);
        Map<String, INDArray> feed = new HashMap<>();
        g.feed(feed, Nd4j.zeros(DataType.FLOAT, 2, 1, 4, 4), new int[] {0, 10}, new int[] {2, NoisePredictor.NULL_LABEL});
        assertEquals(1f, feed.get("y").getFloat(0, 2));
        assertEquals(1f, feed.get("y").getFloat(1, 4), "the null label is the spec's null column");
        float[] expected = new float[12];
        SinusoidalEmbedding.fill(new int[] {0, 10}, 6, expected);
        assertArrayEquals(expected, feed.get("temb").dup().data().asFloat(), 1e-6f);
        assertEquals(0.0, expected[0], 0);   // sin(0)
        assertEquals(1.0, expected[3], 0);   // cos(0)
        INDArray out = g.predictNoise(Nd4j.zeros(DataType.FLOAT, 2, 1, 4, 4), new int[] {0, 10},
                new int[] {2, NoisePredictor.NULL_LABEL});
        assertEquals(3 + 3, out.getFloat(0, 0, 0, 0), 1e-5); // emb(0) sums to 3 (three cos 1), label 2 weighs 3
    }

    @Test
    void rejectsBadSpecsWithMessagesNamingTheProblem() {
        SameDiff sd = TinyGraphs.conditional(3, 1);
        assertTrue(message(() -> new DiffusionGraph(sd,
                DiffusionGraphSpec.builder("image", "step", "noise_hat").labels("cls", LabelEncoding.INDEX, 3).build()))
                .contains("imageInput 'image' is not in the graph"));
        assertTrue(message(() -> new DiffusionGraph(sd,
                DiffusionGraphSpec.builder("img", "step", "eps").labels("cls", LabelEncoding.INDEX, 3).build()))
                .contains("output 'eps'"));
        assertTrue(message(() -> new DiffusionGraph(sd,
                DiffusionGraphSpec.builder("img", "step", "noise_hat").labels("cls", LabelEncoding.ONE_HOT, 3).build()))
                .contains("expected [B, classes]"));
        assertTrue(message(() -> new DiffusionGraph(sd,
                DiffusionGraphSpec.builder("img", "step", "noise_hat").timestepIndex(TimestepEncoding.INDEX_INT)
                        .labels("cls", LabelEncoding.INDEX, 3).build()))
                .contains("INDEX_INT timesteps need an integer placeholder"));
        assertTrue(message(() -> new DiffusionGraph(sd,
                DiffusionGraphSpec.builder("img", "step", "noise_hat").timestepSinusoidal(8)
                        .labels("cls", LabelEncoding.INDEX, 3).build()))
                .contains("expected [B, 8]"));
        assertTrue(message(() -> new DiffusionGraph(sd,
                DiffusionGraphSpec.builder("img", "conv1_W", "noise_hat").labels("cls", LabelEncoding.INDEX, 3).build()))
                .contains("expected a PLACEHOLDER"));
        assertTrue(message(() -> new DiffusionGraph(sd, DiffusionGraphSpec.builder("img", "step", "noise_hat").build(),
                new long[] {3, 6, 6})).contains("disagrees"));
        assertTrue(message(() -> DiffusionGraphSpec.builder("img", "step", "out").labels("c", LabelEncoding.INDEX, 3)
                .nullLabel(1).build()).contains("collides"));
        assertTrue(message(() -> DiffusionGraphSpec.builder("img", "step", "out").timestepSinusoidal(5).build())
                .contains("even"));
        DiffusionGraph g = new DiffusionGraph(sd, TinyGraphs.conditionalSpec(3));
        assertTrue(message(() -> g.predictNoise(Nd4j.zeros(DataType.FLOAT, 8, 1, 5, 5), new int[8], new int[8]))
                .contains("expected [B, 1, 6, 6]"));
        assertTrue(message(() -> g.predictNoise(Nd4j.zeros(DataType.FLOAT, 8, 1, 6, 6), new int[8], null))
                .contains("needs 8 labels"));
        assertTrue(message(() -> g.predictNoise(Nd4j.zeros(DataType.FLOAT, 8, 1, 6, 6), new int[8], new int[] {0, 1, 2, 3, 0, 0, 0, 0}))
                .contains("label 3 outside"));
        assertTrue(message(() -> g.predictNoise(Nd4j.zeros(DataType.FLOAT, 8, 1, 6, 6), new int[] {1000, 0, 0, 0, 0, 0, 0, 0}, new int[8]))
                .contains("timestep 1000"));
    }

    /**
     * Regression: with SameDiff's array cache on, a UNet's repeated predictions with reused feed buffers
     * went wrong. Predictions (whose arrays are recycled from call to call) must equal SameDiff's own
     * output on a fresh copy exactly, and a returned prediction must survive later calls untouched.
     */
    @Test
    void repeatedPredictionsMatchFreshGraphsAndStayTheCallers() {
        DiffusionGraph unet = TinyGraphs.tinyUNet(4);
        DiffusionGraphSpec spec = unet.spec();
        SameDiff base = unet.sameDiff();
        DiffusionGraph g = new DiffusionGraph(base.dup(), spec);
        INDArray x = Nd4j.create(DataType.FLOAT, 8, 1, 8, 8);
        List<INDArray> returned = new ArrayList<>();
        List<INDArray> copies = new ArrayList<>();
        int[] t = new int[8];
        int[] labels = new int[8];
        for (int call = 0; call < 4; call++) {
            x.assign(Nd4j.randn(DataType.FLOAT, 8, 1, 8, 8));
            for (int i = 0; i < 8; i++) {
                t[i] = 999 - 250 * call - i;
                labels[i] = (i + call) % 3;
            }
            INDArray got = g.predictNoise(x, t, labels);
            returned.add(got);
            copies.add(got.dup());
            DiffusionGraph ref = new DiffusionGraph(base.dup(), spec);
            Map<String, INDArray> feed = new HashMap<>();
            ref.feed(feed, x.dup(), t.clone(), labels.clone());
            feed.replaceAll((k, v) -> v.dup());
            INDArray fresh = ref.sameDiff().output(feed, spec.output()).get(spec.output());
            assertEquals(fresh, got, "call " + call);
            for (int i = 0; i < returned.size(); i++) {
                assertEquals(copies.get(i), returned.get(i), "prediction " + i + " after call " + call);
            }
            assertTrue(g.sameDiff().getSessions().values().stream()
                    .noneMatch(s -> s.getMmgr() instanceof org.erasediff.dl4j.memory.StepArrayPool),
                    "the pooled session is the prediction's only");
        }
        g.releasePredictionMemory();
        assertEquals(copies.get(3), g.predictNoise(x, t, labels), "predicts the same after releasing its memory");
    }

    /**
     * A concurrent copy predicts exactly what the graph predicts, from another thread at the same
     * time, keeps the weights it was copied with, and a sampler with two workers gives the images of
     * one.
     */
    @Test
    void concurrentCopiesPredictTheSameOnTheirOwnThreads() throws Exception {
        DiffusionGraph g = TinyGraphs.tinyUNet(4);
        NoisePredictor copy = g.concurrentCopy().orElseThrow();
        INDArray x = Nd4j.randn(DataType.FLOAT, 6, 1, 8, 8);
        int[] t = {999, 700, 500, 300, 100, 0};
        int[] labels = {0, 1, 2, NoisePredictor.NULL_LABEL, 1, 0};
        INDArray expected = g.predictNoise(x, t, labels);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<INDArray> fromCopy = other.submit(() -> {
                INDArray last = null;
                for (int i = 0; i < 20; i++) {
                    last = copy.predictNoise(x, t, labels);
                }
                return last;
            });
            for (int i = 0; i < 20; i++) {
                assertEquals(expected, g.predictNoise(x, t, labels), "the graph, while its copy runs");
            }
            assertEquals(expected, fromCopy.get(), "the copy, on another thread");
        } finally {
            other.shutdown();
        }
        String param = DiffusionGraph.parameterNames(g.sameDiff()).get(0);
        g.sameDiff().getVariable(param).getArr().addi(1.0);
        assertEquals(expected, copy.predictNoise(x, t, labels), "the copy keeps the weights it was copied with");
        assertTrue(copy instanceof AutoCloseable, "closable, so that a sampler frees its pool");
        ((AutoCloseable) copy).close();
        assertEquals(expected, copy.predictNoise(x, t, labels), "still predicts after its memory is freed");

        NoiseSchedule schedule = NoiseSchedule.linear();
        SamplerConfig dpm = SamplerConfig.builder(5)
                .optSolver(Solver.DPM_SOLVER_PP_2M).build();
        int[] many = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0};
        INDArray one = Sampler.builder(g, schedule, dpm, 1, 8, 8).optBatchSize(3)
                .build().generate(many, 4L);
        INDArray two = Sampler.builder(g, schedule, dpm, 1, 8, 8).optBatchSize(3)
                .optWorkers(2).build().generate(many, 4L);
        assertEquals(one, two, "two workers give the images of one");
    }

    @Test
    void specRoundTripsThroughJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        DiffusionGraphSpec spec = DiffusionGraphSpec.builder("a", "b", "c").timestepSinusoidal(32)
                .labels("d", LabelEncoding.ONE_HOT, 7).nullLabel(9).numTimesteps(500).build();
        assertEquals(spec, json.readValue(json.writeValueAsString(spec), DiffusionGraphSpec.class));
        DiffusionGraphSpec u = DiffusionGraphSpec.builder("a", "b", "c").build();
        assertEquals(u, json.readValue(json.writeValueAsString(u), DiffusionGraphSpec.class));
    }
}
