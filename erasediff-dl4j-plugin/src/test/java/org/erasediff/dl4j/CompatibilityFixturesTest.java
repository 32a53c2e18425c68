package org.erasediff.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.io.FileUtils;
import org.erasediff.core.optim.ParameterSelection;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.schedule.ScheduleType;
import org.erasediff.dl4j.checkpoint.CheckpointStore;
import org.erasediff.dl4j.checkpoint.GraphFiles;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.train.DdpmTrainer;
import org.erasediff.dl4j.train.DdpmTrainingConfig;
import org.erasediff.dl4j.unet.UNetConfig;
import org.erasediff.testing.TinyGraphs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Backward compatibility of the plugin's files: {@code compat/0.1.0/} holds a tiny graph
 * ({@code tiny-model.fb}), the checkpoint folder of a 4-step DDPM training run of it on
 * {@code TinyGraphs.stripes(30)} ({@code ddpm-checkpoints/}, checkpoint format 2) and the training
 * and UNet configs, all as version 0.1.0 wrote them. Every later version must keep loading them:
 * the model, and the checkpoint resumed exactly where it stopped. Never edit these files; a new
 * version adds its own folder beside them.
 */
class CompatibilityFixturesTest {

    private static final Path FIXTURES = Path.of("src/test/resources/compat/0.1.0");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The training settings of the fixture run, with its length. */
    static DdpmTrainingConfig training(int steps) {
        return DdpmTrainingConfig.builder(steps).optBatchSize(6).optLearningRate(1e-2).optWarmupSteps(1)
                .optCheckpointEvery(4).optEmaDecay(0.9).optSeed(7)
                .optSchedule(ScheduleConfig.builder(ScheduleType.LINEAR).build()).build();
    }

    /** The UNet config of {@code unet.json}. */
    static UNetConfig unet() {
        return UNetConfig.builder().optWidths(List.of(8, 16)).optAttention(false).optImageSize(8).optNumClasses(3)
                .optSeed(5).build();
    }

    @Test
    void configsWrittenByVersion010StillReadAsTheSameSettings() throws IOException {
        assertEquals(training(4), DdpmTrainingConfig.fromJson(Files.readString(FIXTURES.resolve("ddpm-training.json"))));
        assertEquals(unet(), UNetConfig.fromJson(Files.readString(FIXTURES.resolve("unet.json"))));
    }

    @Test
    void aModelWrittenByVersion010LoadsAndPredicts() throws IOException {
        DiffusionGraph g = new DiffusionGraph(GraphFiles.load(FIXTURES.resolve("tiny-model.fb"), false),
                TinyGraphs.conditionalSpec(3));
        INDArray eps = g.predictNoise(Nd4j.rand(2, 1, 6, 6), new int[] {3, 500}, new int[] {0, 2});
        assertArrayEquals(new long[] {2, 1, 6, 6}, eps.shape());
        assertTrue(Double.isFinite(eps.sumNumber().doubleValue()));
    }

    @Test
    void aCheckpointWrittenByVersion010ResumesWhereItStopped() throws IOException {
        Path copy = dir.resolve("ck");
        FileUtils.copyDirectory(FIXTURES.resolve("ddpm-checkpoints").toFile(), copy.toFile());
        DiffusionGraph g = new DiffusionGraph(GraphFiles.load(FIXTURES.resolve("tiny-model.fb"), false),
                TinyGraphs.conditionalSpec(3));
        DdpmTrainer.Result r = new DdpmTrainer(g, training(5), ParameterSelection.all(), new CheckpointStore(copy, 2),
                List.of()).train(TinyGraphs.stripes(30));
        assertEquals(4, r.resumedFrom());
        assertEquals(5, r.lossHistory().length);
        JsonNode saved = JSON.readTree(copy.resolve("step-00000004").resolve(CheckpointStore.JSON).toFile());
        for (int s = 0; s < 4; s++) {
            assertEquals(saved.get("history").get(s).get("loss").floatValue(), r.lossHistory()[s], "step " + s);
        }
        assertTrue(r.lossHistory()[4] > 0 && Float.isFinite(r.lossHistory()[4]));
    }
}
