package org.erasediff.samples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.io.FileUtils;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.dl4j.checkpoint.GraphFiles;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.samples.ShippedAssets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Backward compatibility of the CLI's files: {@code compat/0.1.0/unlearn-run/} is a run folder
 * written by version 0.1.0 ({@code unlearn} of class "squares" from the tiny user graph in
 * {@code inputs/}, 4 steps, batches of 2, no evaluation): its settings ({@code config.json}), the
 * model with its card, and the checkpoint of its last step. Every later version must keep loading
 * them — the model from its card, the settings to the same config, and the checkpoint resumed to
 * the same weights. Never edit these files; a new version adds its own folder beside them.
 */
class CompatibilityFixturesTest {

    private static final Path FIXTURES = Path.of("src/test/resources/compat/0.1.0");
    private static final Path RUN = FIXTURES.resolve("unlearn-run");

    @TempDir
    Path dir;

    @Test
    void aModelWithItsCardWrittenByVersion010Loads() throws Exception {
        ShippedAssets.LoadedModel m = ShippedAssets.diffusionModel(RUN.resolve("model.fb"));
        assertEquals("eps_hat", m.card().spec().output());
        assertEquals(2, m.card().spec().numClasses());
        assertEquals(1000, m.card().schedule().timesteps());
        assertArrayEquals(new long[] {1, 8, 8}, m.graph().imageShape());
    }

    @Test
    void theSettingsWrittenByVersion010ReadAsTheSameConfig() throws Exception {
        EraseDiffConfig expected = EraseDiffOptions.preset().toBuilder().optOuterSteps(4).optRemainBatchSize(2)
                .optForgetBatchSize(2).build();
        assertEquals(expected, EraseDiffConfig.fromJson(Files.readString(RUN.resolve("config.json"))));
    }

    @Test
    void anInterruptedRunOfVersion010ResumesToTheSameWeights() throws Exception {
        Path run = dir.resolve("run");
        FileUtils.copyDirectory(RUN.toFile(), run.toFile());
        // the run as a kill after its last checkpoint leaves it: no model, no card
        Files.delete(run.resolve("model.fb"));
        Files.delete(run.resolve("model.fb.json"));
        Path in = FIXTURES.resolve("inputs");
        CliRun r = CliRun.of("unlearn", "--model", in.resolve("model.fb").toString(), "--spec",
                in.resolve("spec.json").toString(), "--data", in.resolve("images").toString(), "--forget-class",
                "squares", "--steps", "4", "--remain-batch", "2", "--forget-batch", "2", "--no-eval", "--output",
                run.toString(), "--resume", "--json");
        assertEquals(0, r.code(), r.err());
        SameDiff a = GraphFiles.load(RUN.resolve("model.fb"), false);
        SameDiff b = GraphFiles.load(run.resolve("model.fb"), false);
        for (String n : DiffusionGraph.parameterNames(a)) {
            assertArrayEquals(a.getArrForVarName(n).dup().data().asFloat(), b.getArrForVarName(n).dup().data().asFloat(),
                    n + " bit-identical");
        }
    }
}
