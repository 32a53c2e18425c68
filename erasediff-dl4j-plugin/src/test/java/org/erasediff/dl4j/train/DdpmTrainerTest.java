package org.erasediff.dl4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.optim.ParameterSelection;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.schedule.ScheduleType;
import org.erasediff.dl4j.checkpoint.CheckpointStore;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.graph.DiffusionGraphSpec;
import org.erasediff.dl4j.graph.LabelEncoding;
import org.erasediff.dl4j.unet.UNetBuilder;
import org.erasediff.dl4j.unet.UNetConfig;
import org.erasediff.testing.TinyGraphs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

class DdpmTrainerTest {

    @TempDir
    Path dir;

    private static DdpmTrainingConfig config(int steps, int checkpointEvery) {
        return config(steps, checkpointEvery, 0.1);
    }

    private static DdpmTrainingConfig config(int steps, int checkpointEvery, double labelDropout) {
        return DdpmTrainingConfig.builder(steps).optBatchSize(12).optLearningRate(1e-2).optWarmupSteps(2)
                .optCheckpointEvery(checkpointEvery).optEmaDecay(0.9).optSeed(7).optLabelDropout(labelDropout)
                .optSchedule(ScheduleConfig.builder(ScheduleType.LINEAR).build()).build();
    }

    private static DiffusionGraph model() {
        return new DiffusionGraph(TinyGraphs.conditional(3, 3), TinyGraphs.conditionalSpec(3));
    }

    @Test
    void lossFallsAndTheInputGraphIsUntouched() throws IOException {
        DiffusionGraph m = model();
        INDArray before = m.sameDiff().getArrForVarName("conv2_W").dup();
        DdpmTrainer.Result r = new DdpmTrainer(m, config(60, 0), ParameterSelection.all(), null, List.of())
                .train(TinyGraphs.stripes(60));
        double first = mean(r.lossHistory(), 0, 10);
        double last = mean(r.lossHistory(), 50, 60);
        assertTrue(last < 0.8 * first, "loss should fall: first 10 steps " + first + ", last 10 " + last);
        assertEquals(before, m.sameDiff().getArrForVarName("conv2_W"));
        assertTrue(!before.equals(r.model().sameDiff().getArrForVarName("conv2_W")));
    }

    @Test
    void resumedRunEndsWithTheSameWeightsAsAnUninterruptedOne() throws IOException {
        LabelledImages data = TinyGraphs.stripes(30);
        DdpmTrainer.Result full = new DdpmTrainer(model(), config(12, 0), ParameterSelection.all(), null, List.of())
                .train(data);

        CheckpointStore store = new CheckpointStore(dir.resolve("ck"), 2);
        // simulate an interruption after step 8: run with checkpoints, then delete the final checkpoint
        new DdpmTrainer(model(), config(12, 4), ParameterSelection.all(), store, List.of()).train(data);
        List<CheckpointStore.Checkpoint> cks = store.list();
        assertEquals(List.of(8L, 12L), cks.stream().map(CheckpointStore.Checkpoint::step).toList());
        java.nio.file.Files.walk(cks.get(1).dir()).sorted(java.util.Comparator.reverseOrder())
                .forEach(p -> p.toFile().delete());
        DdpmTrainer.Result resumed = new DdpmTrainer(model(), config(12, 4), ParameterSelection.all(), store, List.of())
                .train(data);
        assertEquals(8, resumed.resumedFrom());
        SameDiff a = full.model().sameDiff();
        SameDiff b = resumed.model().sameDiff();
        for (String n : DiffusionGraph.parameterNames(a)) {
            assertTrue(a.getArrForVarName(n).equalsWithEps(b.getArrForVarName(n), 1e-6), n + " differs after resume");
        }
        assertArrayEquals(full.lossHistory(), resumed.lossHistory(), 1e-6f);
    }

    /** Label dropout is a conditional graph's setting: an unconditional graph takes 0 and refuses anything else. */
    @Test
    void anUnconditionalGraphTrainsWithoutLabelDropoutAndRefusesOne() throws IOException {
        DiffusionGraph unconditional = new DiffusionGraph(TinyGraphs.unconditional(3), TinyGraphs.unconditionalSpec());
        CheckpointStore store = new CheckpointStore(dir.resolve("uncond"), 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DdpmTrainer(unconditional,
                config(4, 2), ParameterSelection.all(), store, List.of()).train(TinyGraphs.stripes(24)));
        assertEquals("labelDropout is 0.1 but the graph is unconditional (it has no labels to drop): set it to 0",
                e.getMessage());
        assertEquals(List.of(), store.list(), "refused before any step");
        DdpmTrainingConfig none = config(4, 2, 0);
        DdpmTrainer.Result r = new DdpmTrainer(unconditional, none, ParameterSelection.all(), store, List.of())
                .train(TinyGraphs.stripes(24));
        assertEquals(4, r.lossHistory().length);
        // a conditional run's label dropout is part of its settings: another one does not resume it
        CheckpointStore conditional = new CheckpointStore(dir.resolve("cond"), 2);
        new DdpmTrainer(model(), config(4, 2), ParameterSelection.all(), conditional, List.of())
                .train(TinyGraphs.stripes(24));
        DdpmTrainingConfig other = config(6, 2, 0.2);
        IllegalArgumentException changed = assertThrows(IllegalArgumentException.class, () -> new DdpmTrainer(model(),
                other, ParameterSelection.all(), conditional, List.of()).train(TinyGraphs.stripes(24)));
        assertTrue(changed.getMessage().contains("only steps and checkpointEvery may change"), changed.getMessage());
    }

    @Test
    void tinyReferenceUNetTrains() throws IOException {
        UNetConfig cfg = UNetConfig.builder().optImageSize(8).optWidths(8, 16).optGroups(4).optAttentionHeads(2)
                .optNumClasses(3).optTimeEmbeddingBase(16).optTimeEmbeddingWidth(32).optSeed(2).build();
        DiffusionGraph unet = new DiffusionGraph(UNetBuilder.build(cfg), DiffusionGraphSpec
                .builder(UNetBuilder.INPUT_X, UNetBuilder.INPUT_T, UNetBuilder.OUTPUT_EPS)
                .labels(UNetBuilder.INPUT_LABEL, LabelEncoding.INDEX, 3).build());
        DdpmTrainer.Result r = new DdpmTrainer(unet, DdpmTrainingConfig.builder(40).optBatchSize(16)
                .optLearningRate(3e-3).optWarmupSteps(5).optCheckpointEvery(0).optSeed(3).build(),
                ParameterSelection.all(), null, List.of()).train(TinyGraphs.stripes(48, 8));
        double first = mean(r.lossHistory(), 0, 8);
        double last = mean(r.lossHistory(), 32, 40);
        assertTrue(last < 0.7 * first, "UNet loss should fall: " + first + " -> " + last);
    }

    @Test
    void frozenParametersDoNotMove() throws IOException {
        DiffusionGraph m = model();
        DdpmTrainer.Result r = new DdpmTrainer(m, config(5, 0), ParameterSelection.of(List.of("conv2_.*"), List.of()),
                null, List.of()).train(TinyGraphs.stripes(24));
        assertEquals(m.sameDiff().getArrForVarName("conv1_W"), r.model().sameDiff().getArrForVarName("conv1_W"));
        assertTrue(!m.sameDiff().getArrForVarName("conv2_W").equals(r.model().sameDiff().getArrForVarName("conv2_W")));
    }

    @Test
    void rejectsMismatchedDataAndResumingWithAnotherConfig() throws IOException {
        LabelledImages wrongSize = new LabelledImages("w", 1, 5, 5, 3, new byte[25 * 3], new int[] {0, 1, 2},
                new int[] {0, 1, 2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DdpmTrainer(model(), config(2, 0), ParameterSelection.all(), null, List.of()).train(wrongSize));
        assertTrue(e.getMessage().contains("5x5"), e.getMessage());
        CheckpointStore store = new CheckpointStore(dir.resolve("ck2"), 1);
        new DdpmTrainer(model(), config(2, 1), ParameterSelection.all(), store, List.of()).train(TinyGraphs.stripes(12));
        DdpmTrainingConfig otherSeed = DdpmTrainingConfig.builder(2).optBatchSize(12).optLearningRate(1e-2)
                .optWarmupSteps(2).optCheckpointEvery(1).optEmaDecay(0.9).optSeed(8).build();
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> new DdpmTrainer(model(), otherSeed, ParameterSelection.all(), store, List.of())
                        .train(TinyGraphs.stripes(12)));
        assertTrue(e2.getMessage().contains("another config"), e2.getMessage());
        // a longer run of the same config extends the checkpointed one
        DdpmTrainer.Result extended = new DdpmTrainer(model(), config(3, 1), ParameterSelection.all(), store,
                List.of()).train(TinyGraphs.stripes(12));
        assertEquals(2, extended.resumedFrom());
        assertEquals(3, extended.lossHistory().length);
        assertTrue(extended.lossHistory()[2] > 0);
    }

    private static double mean(float[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / (to - from);
    }
}
