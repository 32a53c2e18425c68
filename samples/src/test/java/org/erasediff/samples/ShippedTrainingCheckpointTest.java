package org.erasediff.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The checkpoint of the shipped model's training run was written before the shared loop (format
 * 1): it must still resume, so that training can continue from it.
 */
class ShippedTrainingCheckpointTest {

    private static final Path SHIPPED = Path.of("training/mnist-ddpm.checkpoints");

    @TempDir
    Path dir;

    @Test
    void theFormatOneCheckpointOfTheShippedModelResumes() throws IOException {
        Path copy = dir.resolve("ck");
        try (Stream<Path> files = Files.walk(SHIPPED)) {
            for (Path p : files.toList()) {
                Path target = copy.resolve(SHIPPED.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Path step5000 = SHIPPED.resolve("step-00005000");
        DdpmTrainingConfig saved = DdpmTrainingConfig.fromJson(new ObjectMapper()
                .readTree(step5000.resolve(CheckpointStore.JSON).toFile()).get("config").toString());
        DdpmTrainingConfig oneMore = new DdpmTrainingConfig(5001, saved.batchSize(), saved.learningRate(),
                saved.warmupSteps(), saved.finalLrFraction(), saved.labelDropout(), saved.clipNorm(), saved.emaDecay(),
                saved.antithetic(), saved.seed(), saved.checkpointEvery(), saved.schedule());
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
}
