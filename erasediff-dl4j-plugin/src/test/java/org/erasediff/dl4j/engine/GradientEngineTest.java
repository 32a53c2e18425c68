package org.erasediff.dl4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntBinaryOperator;
import org.erasediff.dl4j.listen.OpTimingListener;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.graph.DiffusionGraphSpec;
import org.erasediff.dl4j.memory.StepArrayPool;
import org.erasediff.dl4j.unet.UNetBuilder;
import org.erasediff.testing.TinyGraphs;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GradientEngineTest {

    private static final List<String> ALL = List.of("conv1_W", "conv1_b", "time_W", "class_table", "conv2_W", "conv2_b");

    private static DiffusionGraph withLoss(SameDiff sd) {
        DiffusionGraph g = new DiffusionGraph(sd, TinyGraphs.conditionalSpec(3));
        WeightedDenoisingLoss.addTo(g);
        return g;
    }

    @Test
    void gradientsMatchCalculateGradientsAndParametersStayPut() {
        int b = 8;
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.FLOAT, b, 1, 6, 6);
        INDArray target = Nd4j.randn(DataType.FLOAT, b, 1, 6, 6);
        INDArray w = Nd4j.createFromArray(new float[] {.1f, .1f, .1f, .1f, .2f, .2f, .1f, .1f});
        int[] t = {0, 5, 10, 999, 3, 7, 500, 1};
        int[] labels = {0, 1, 2, -1, 0, 1, 2, -1};

        DiffusionGraph reference = withLoss(TinyGraphs.conditional(3, 4));
        Map<String, INDArray> feed = new HashMap<>();
        reference.feed(feed, x, t, labels);
        feed.put(WeightedDenoisingLoss.TARGET, target);
        feed.put(WeightedDenoisingLoss.WEIGHT, w);
        Map<String, INDArray> expected = reference.sameDiff().calculateGradients(feed, ALL);
        double expectedLoss = reference.sameDiff().output(feed, WeightedDenoisingLoss.LOSS)
                .get(WeightedDenoisingLoss.LOSS).getDouble(0);

        DiffusionGraph g = withLoss(TinyGraphs.conditional(3, 4));
        GradientEngine engine = new GradientEngine(g, ALL);
        Map<String, INDArray> before = new HashMap<>();
        for (String n : ALL) {
            before.put(n, g.sameDiff().getVariable(n).getArr().dup());
        }
        double loss = engine.computeGradients(x, t, labels, target, w);
        assertEquals(expectedLoss, loss, 1e-5 * Math.max(1, Math.abs(expectedLoss)));
        for (int i = 0; i < ALL.size(); i++) {
            String n = ALL.get(i);
            INDArray got = engine.gradients().get(i);
            assertTrue(got.equalsWithEps(expected.get(n), 1e-5), n + ": " + got + " vs " + expected.get(n));
            assertEquals(before.get(n), g.sameDiff().getVariable(n).getArr(), n + " must not move");
        }
        assertTrue(engine.gradients().get(0).norm2Number().doubleValue() > 0);
        // a second call gives the same result (buffers are overwritten, not accumulated)
        engine.computeGradients(x, t, labels, target, w);
        assertTrue(engine.gradients().get(4).equalsWithEps(expected.get("conv2_W"), 1e-5));
    }

    /**
     * Regression: with SameDiff's array cache on, a UNet's output-layer gradients came out 10-25 % wrong
     * from the second op on; every call must match calculateGradients on fresh arrays and the closed-form
     * bias gradient Σ_b w_b·2·mean(ε̂_b − target_b).
     */
    @Test
    void repeatedCallsOnAUNetMatchIndependentGradients() {
        DiffusionGraph unet = TinyGraphs.tinyUNet(4);
        DiffusionGraphSpec spec = unet.spec();
        SameDiff base = unet.sameDiff();
        DiffusionGraph g = new DiffusionGraph(base.dup(), spec);
        WeightedDenoisingLoss.addTo(g);
        DiffusionGraph ref = new DiffusionGraph(base.dup(), spec);
        WeightedDenoisingLoss.addTo(ref);
        List<String> names = DiffusionGraph.parameterNames(base);
        GradientEngine engine = new GradientEngine(g, names);
        INDArray x = Nd4j.create(DataType.FLOAT, 8, 1, 8, 8);
        INDArray target = x.ulike();
        INDArray w = Nd4j.valueArrayOf(new long[] {8}, 1f / 8, DataType.FLOAT);
        Nd4j.getRandom().setSeed(9);
        for (int call = 0; call < 3; call++) {
            int[][] tl = refill(x, target, call, (c, i) -> 900 - 300 * c + i);
            int[] t = tl[0];
            int[] labels = tl[1];
            engine.computeGradients(x, t, labels, target, w);
            Map<String, INDArray> feed = new HashMap<>();
            ref.feed(feed, x.dup(), t.clone(), labels.clone());
            feed.replaceAll((k, v) -> v.dup());
            feed.put(WeightedDenoisingLoss.TARGET, target.dup());
            feed.put(WeightedDenoisingLoss.WEIGHT, w.dup());
            Map<String, INDArray> expected = ref.sameDiff().calculateGradients(feed, names);
            for (int i = 0; i < names.size(); i++) {
                assertTrue(engine.gradients().get(i).equalsWithEps(expected.get(names.get(i)), 1e-4),
                        "call " + call + ": gradient of " + names.get(i));
            }
            INDArray out = ref.sameDiff().output(feed, UNetBuilder.OUTPUT_EPS).get(UNetBuilder.OUTPUT_EPS);
            double bias = 0;
            for (int b = 0; b < 8; b++) {
                bias += 2.0 / 8 * out.slice(b).sub(target.slice(b)).meanNumber().doubleValue();
            }
            assertEquals(bias, engine.gradients().get(names.indexOf("conv_out_b")).getDouble(0), 1e-4);
        }
    }

    /**
     * Recycling arrays (within a step, or from one step to the next) must not change a single bit of
     * the gradients: three engines on the same UNet, fed the same changing batches, agree exactly.
     */
    @Test
    void recyclingArraysLeavesGradientsBitIdentical() {
        DiffusionGraph unet = TinyGraphs.tinyUNet(4);
        List<String> names = DiffusionGraph.parameterNames(unet.sameDiff());
        StepArrayPool.Reuse[] modes = StepArrayPool.Reuse.values();
        GradientEngine[] engines = new GradientEngine[modes.length];
        for (int m = 0; m < modes.length; m++) {
            DiffusionGraph g = new DiffusionGraph(unet.sameDiff().dup(), unet.spec());
            WeightedDenoisingLoss.addTo(g);
            engines[m] = new GradientEngine(g, names, modes[m]);
        }
        INDArray x = Nd4j.create(DataType.FLOAT, 8, 1, 8, 8);
        INDArray target = x.ulike();
        INDArray w = Nd4j.valueArrayOf(new long[] {8}, 1f / 8, DataType.FLOAT);
        Nd4j.getRandom().setSeed(21);
        long[] withinPoolBytes = new long[3];
        for (int call = 0; call < 3; call++) {
            int[][] tl = refill(x, target, call, (c, i) -> 100 * c + 97 * i);
            int[] t = tl[0];
            int[] labels = tl[1];
            double[] losses = new double[modes.length];
            for (int m = 0; m < modes.length; m++) {
                losses[m] = engines[m].computeGradients(x, t, labels, target, w);
            }
            withinPoolBytes[call] = engines[StepArrayPool.Reuse.WITHIN_STEP.ordinal()].arrayPool().pooledBytes();
            double forward0 = engines[0].evaluateLoss(x, t, labels, target, w);
            assertEquals(losses[0], forward0, 1e-6, "forward-only loss equals the training pass's");
            for (int m = 1; m < modes.length; m++) {
                assertEquals(losses[0], losses[m], 0.0, modes[m] + " loss, call " + call);
                assertEquals(forward0, engines[m].evaluateLoss(x, t, labels, target, w), 0.0,
                        modes[m] + " forward-only loss, call " + call);
                for (int i = 0; i < names.size(); i++) {
                    assertEquals(engines[0].gradients().get(i), engines[m].gradients().get(i),
                            modes[m] + ": gradient of " + names.get(i) + ", call " + call);
                }
            }
        }
        StepArrayPool next = engines[StepArrayPool.Reuse.NEXT_STEP.ordinal()].arrayPool();
        StepArrayPool within = engines[StepArrayPool.Reuse.WITHIN_STEP.ordinal()].arrayPool();
        assertTrue(next.reuses() > 2 * next.allocations() - 10, "later steps reuse the first step's arrays: "
                + next.reuses() + " reuses, " + next.allocations() + " allocations");
        assertTrue(within.allocations() < next.allocations(), "released arrays serve later ops of the same step: "
                + within.allocations() + " vs " + next.allocations() + " arrays");
        assertTrue(within.pooledBytes() < next.pooledBytes());
        assertEquals(withinPoolBytes[1], withinPoolBytes[2], "later steps of the same shape need no more arrays than the "
                + "first (each recycled array is released again when its last consumer has run)");
        for (GradientEngine e : engines) {
            e.close();
        }
        assertEquals(0, within.pooledBytes(), "closing frees the recycled arrays");
        assertThrows(IllegalStateException.class, () -> engines[0].computeGradients(x, new int[8], new int[8], target, w));
    }

    /**
     * M2.1's session records the id of every array it releases in a set it never clears; the engine's
     * session forgets them at each step, so a long run does not accumulate them on the heap.
     */
    @Test
    void theSessionDoesNotAccumulateReleasedArrayIdsAcrossSteps() throws ReflectiveOperationException {
        DiffusionGraph unet = TinyGraphs.tinyUNet(4);
        DiffusionGraph g = new DiffusionGraph(unet.sameDiff().dup(), unet.spec());
        WeightedDenoisingLoss.addTo(g);
        java.lang.reflect.Field sessionField = GradientEngine.class.getDeclaredField("session");
        sessionField.setAccessible(true);
        java.lang.reflect.Field freed = org.nd4j.autodiff.samediff.internal.InferenceSession.class
                .getDeclaredField("freedArrays");
        freed.setAccessible(true);
        try (GradientEngine engine = new GradientEngine(g, DiffusionGraph.parameterNames(unet.sameDiff()))) {
            INDArray x = Nd4j.randn(DataType.FLOAT, 4, 1, 8, 8);
            INDArray w = Nd4j.valueArrayOf(new long[] {4}, 0.25f, DataType.FLOAT);
            int[] sizes = new int[3];
            for (int step = 0; step < 3; step++) {
                engine.computeGradients(x, new int[] {1, 2, 3, 4}, new int[] {0, 1, 2, 0}, x.dup(), w);
                sizes[step] = ((java.util.Set<?>) freed.get(sessionField.get(engine))).size();
            }
            assertTrue(sizes[0] > 0, "the session reports released arrays");
            assertEquals(sizes[0], sizes[2], "released ids of earlier steps are forgotten");
        }
    }

    @Test
    void opTimingListenerSeesTheForwardAndBackwardOps() {
        DiffusionGraph g = withLoss(TinyGraphs.conditional(3, 4));
        OpTimingListener timing = new OpTimingListener();
        try (GradientEngine engine = new GradientEngine(g, ALL)) {
            engine.addListener(timing);
            INDArray x = Nd4j.randn(DataType.FLOAT, 4, 1, 6, 6);
            engine.computeGradients(x, new int[4], new int[4], x.dup(), Nd4j.ones(DataType.FLOAT, 4).divi(4));
        }
        List<String> ops = timing.byTotalTime().stream().map(OpTimingListener.OpTime::op).toList();
        assertTrue(ops.contains("conv2d") && ops.contains("conv2d_bp"), ops.toString());
        assertTrue(timing.totalNanos() > 0);
        long convs = timing.byTotalTime().stream().filter(o -> o.op().equals("conv2d")).findFirst().orElseThrow().count();
        assertEquals(2, convs, "the tiny graph has two convolutions, each run once");
        timing.reset();
        assertEquals(0, timing.totalNanos());
    }

    /** Refills a batch of 8 with fresh noise; returns its timesteps (from {@code timestep}) and labels (3 classes). */
    private static int[][] refill(INDArray x, INDArray target, int call, IntBinaryOperator timestep) {
        x.assign(Nd4j.randn(DataType.FLOAT, 8, 1, 8, 8));
        target.assign(Nd4j.randn(DataType.FLOAT, 8, 1, 8, 8));
        int[] t = new int[8];
        int[] labels = new int[8];
        for (int i = 0; i < 8; i++) {
            t[i] = timestep.applyAsInt(call, i);
            labels[i] = (i + call) % 3;
        }
        return new int[][] {t, labels};
    }

    @Test
    void frozenParametersGetNoGradientAndNeverChange() {
        DiffusionGraph g = withLoss(TinyGraphs.conditional(3, 4));
        INDArray frozenBefore = g.sameDiff().getVariable("conv1_W").getArr().dup();
        GradientEngine engine = new GradientEngine(g, List.of("conv2_W", "conv2_b"));
        assertEquals(2, engine.gradients().size());
        INDArray x = Nd4j.randn(DataType.FLOAT, 8, 1, 6, 6);
        engine.computeGradients(x, new int[8], new int[8], x.dup(), Nd4j.ones(DataType.FLOAT, 8).divi(8));
        assertEquals(frozenBefore, g.sameDiff().getArrForVarName("conv1_W"));
    }

    @Test
    void rejectsUnknownParametersAndMissingLoss() {
        DiffusionGraph g = withLoss(TinyGraphs.conditional(3, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GradientEngine(g, List.of("conv9_W")));
        assertTrue(e.getMessage().contains("conv9_W"));
        DiffusionGraph noLoss = new DiffusionGraph(TinyGraphs.conditional(3, 4), TinyGraphs.conditionalSpec(3));
        assertThrows(IllegalArgumentException.class, () -> new GradientEngine(noLoss, ALL));
    }

    /** SameDiff prints one "Added differentiated op" line per op to stdout; a command's JSON must not drown. */
    @Test
    void buildingTheGradientFunctionPrintsNothingToStandardOutput() {
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured));
        try (GradientEngine engine = new GradientEngine(withLoss(TinyGraphs.conditional(3, 4)), ALL)) {
            assertTrue(engine.parameters().size() > 0);
        } finally {
            System.setOut(out);
        }
        assertEquals("", captured.toString(), "stdout while the gradient function was built");
    }
}
