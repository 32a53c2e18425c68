package org.erasediff.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.erasediff.core.data.Mnist;
import org.erasediff.core.optim.ParameterSelection;
import org.erasediff.dl4j.checkpoint.CheckpointStore;
import org.erasediff.dl4j.checkpoint.NamedArrays;
import org.erasediff.dl4j.train.DdpmTrainer;
import org.erasediff.dl4j.train.DdpmTrainingConfig;
import org.erasediff.dl4j.unet.UNetBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoints of the shipped models' training runs were written by earlier releases (the
 * class-conditional one before the shared loop, format 1): they must still resume, so that training
 * can continue from them.
 */
class ShippedTrainingCheckpointTest {

    private static final Path SHIPPED = Path.of("training/mnist-ddpm.checkpoints");

    @TempDir
    Path dir;

    @Test
    void theFormatOneCheckpointOfTheShippedModelResumes() throws IOException {
        Path copy = dir.resolve("ck");
        copyTree(SHIPPED, copy);
        Path step5000 = SHIPPED.resolve("step-00005000");
        DdpmTrainingConfig saved = DdpmTrainingConfig.fromJson(new ObjectMapper()
                .readTree(step5000.resolve(CheckpointStore.JSON).toFile()).get("config").toString());
        DdpmTrainingConfig oneMore = oneMore(saved, saved.labelDropout());
        ModelCard card = ShippedAssets.diffusionModel(null).card();
        DdpmTrainer.Result r = new DdpmTrainer(UNetBuilder.buildDiffusionGraph(card.unet()), oneMore,
                ParameterSelection.all(), new CheckpointStore(copy, 2), List.of())
                .train(ShippedAssets.mnist(Mnist.Split.TRAIN));
        assertEquals(5000, r.resumedFrom());
        assertEquals(5001, r.lossHistory().length);
        float[] legacy = NamedArrays.read(step5000.resolve(CheckpointStore.STATE)).get("history/loss").toFloatVector();
        assertEquals(legacy[4999], r.lossHistory()[4999]);
        assertTrue(r.lossHistory()[5000] > 0 && r.lossHistory()[5000] < 0.1,
                "the resumed step trains the trained model: loss " + r.lossHistory()[5000]);
        assertTrue(Files.isDirectory(copy.resolve("step-00005001")), "a format-2 checkpoint follows");
    }

    /**
     * The unconditional model's checkpoint recorded the label dropout of 0.1 that earlier releases wrote for every
     * run (it dropped nothing: there are no labels); it resumes under this release's 0, and 0.1 is now refused.
     */
    @Test
    void theUnconditionalCheckpointResumesWithoutLabelDropout() throws IOException {
        Path shipped = Path.of("training/mnist-ddpm-uncond.checkpoints");
        Path copy = dir.resolve("uncond-ck");
        copyTree(shipped, copy);
        DdpmTrainingConfig saved = DdpmTrainingConfig.fromJson(new ObjectMapper()
                .readTree(shipped.resolve("step-00005000").resolve(CheckpointStore.JSON).toFile()).get("config")
                .toString());
        assertEquals(0.1, saved.labelDropout());
        ModelCard card = ShippedAssets.diffusionModel(
                Path.of("src/main/resources/org/erasediff/samples/models/mnist-ddpm-uncond.fb")).card();
        var data = ShippedAssets.mnist(Mnist.Split.TRAIN);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new DdpmTrainer(
                UNetBuilder.buildDiffusionGraph(card.unet()), oneMore(saved, saved.labelDropout()),
                ParameterSelection.all(), new CheckpointStore(copy, 2), List.of()).train(data));
        assertEquals("labelDropout is 0.1 but the graph is unconditional (it has no labels to drop): set it to 0",
                refused.getMessage());
        DdpmTrainer.Result r = new DdpmTrainer(UNetBuilder.buildDiffusionGraph(card.unet()), oneMore(saved, 0),
                ParameterSelection.all(), new CheckpointStore(copy, 2), List.of()).train(data);
        assertEquals(5000, r.resumedFrom());
        assertTrue(r.lossHistory()[5000] > 0 && r.lossHistory()[5000] < 0.1,
                "the resumed step trains the trained model: loss " + r.lossHistory()[5000]);
    }

    private static DdpmTrainingConfig oneMore(DdpmTrainingConfig saved, double labelDropout) {
        return new DdpmTrainingConfig(saved.steps() + 1, saved.batchSize(), saved.learningRate(), saved.warmupSteps(),
                saved.finalLrFraction(), labelDropout, saved.clipNorm(), saved.emaDecay(), saved.antithetic(),
                saved.seed(), saved.checkpointEvery(), saved.schedule());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
