package org.erasediff.samples.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.unlearn.UnlearningResult;
import org.erasediff.testing.TinyGraphs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.graph.ui.LogFileWriter;

class WithSameDiffListenersTest {

    @TempDir
    Path dir;

    @Test
    void checkpointsAndTheUiStatsFileAreWritten() throws IOException {
        DiffusionGraph model = new DiffusionGraph(TinyGraphs.conditional(3, 5), TinyGraphs.conditionalSpec(3));
        ForgetRemainSplit split = ForgetRemainSplit.byClasses(TinyGraphs.stripes(30), List.of(0));
        File checkpoints = dir.resolve("checkpoints").toFile();
        File stats = dir.resolve("ui-stats.bin").toFile();

        UnlearningResult r = WithSameDiffListeners.unlearn(model, split, 10, checkpoints, stats);

        assertEquals(10, r.history().size());
        File[] saved = checkpoints.listFiles((d, n) -> n.endsWith(".bin"));
        assertTrue(saved != null && saved.length == 2, "the last two checkpoints are kept: "
                + (saved == null ? null : List.of(saved)));
        SameDiff restored = SameDiff.load(saved[0], false);
        assertTrue(restored.hasVariable("conv2_W"), "a checkpoint is a loadable graph");
        assertTrue(stats.length() > 0, "UIListener wrote its file");
        assertFalse(new LogFileWriter(stats).readEvents().isEmpty(), "the stats file holds events");
    }
}
