package org.erasediff.samples.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.unlearn.UnlearningResult;
import org.erasediff.testing.TinyGraphs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;

class QuickStartTest {

    private static final Path SOURCE = Path.of("src/main/java/org/erasediff/samples/examples/QuickStart.java");
    private static final Path README = Path.of("../README.md");

    @TempDir
    Path dir;

    /** The README's quick start is the marked region of QuickStart.java, character for character. */
    @Test
    void theReadmeShowsTheSourceVerbatim() throws IOException {
        String source = Files.readString(SOURCE);
        int begin = source.indexOf("// README:begin\n");
        int end = source.indexOf("// README:end");
        assertTrue(begin >= 0 && end > begin, "markers in " + SOURCE);
        String region = source.substring(begin + "// README:begin\n".length(), end);
        String readme = Files.readString(README);
        assertTrue(readme.contains("```java\n" + region + "```\n"),
                "README.md must show the region between the README markers of " + SOURCE + " verbatim");
    }

    @Test
    void itUnlearnsAClassOfASavedGraphAndLeavesTheInputAlone() throws IOException {
        Path in = dir.resolve("model.fb");
        SameDiff original = TinyGraphs.conditional(3, 5);
        original.save(in.toFile(), false);
        byte[] inputBytes = Files.readAllBytes(in);
        Path out = dir.resolve("unlearned.fb");

        UnlearningResult r = QuickStart.forgetClass(in, TinyGraphs.asIterator(TinyGraphs.stripes(30), 8), 0, 3, out);

        assertEquals(3, r.history().size());
        assertArrayEquals(inputBytes, Files.readAllBytes(in), "the input model is not touched");
        SameDiff saved = SameDiff.load(out.toFile(), false);
        assertEquals(r.model().sameDiff().getArrForVarName("conv2_W"), saved.getArrForVarName("conv2_W"));
        assertFalse(original.getArrForVarName("conv2_W").equals(saved.getArrForVarName("conv2_W")),
                "the unlearned weights differ from the input's");
        assertEquals(ForgetRemainSplit.byClasses(TinyGraphs.stripes(30), List.of(0)).forget().contentHash(),
                r.provenance().data().get("forget").sha256(), "the iterator's images arrive unchanged");
        for (String p : DiffusionGraph.parameterNames(saved)) {
            assertTrue(Double.isFinite(saved.getArrForVarName(p).sumNumber().doubleValue()), p);
        }
    }
}
