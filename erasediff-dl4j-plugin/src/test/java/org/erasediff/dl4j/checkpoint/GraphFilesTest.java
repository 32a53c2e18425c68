package org.erasediff.dl4j.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GraphFilesTest {

    @TempDir
    Path dir;

    private static SameDiff tinyGraph() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
        SDVariable w = sd.var("w", Nd4j.linspace(DataType.FLOAT, 1, 6, 1).reshape(3, 2));
        x.mmul("y", w);
        return sd;
    }

    @Test
    void savesAtomicallyAndLoadsTheSameGraph() throws IOException {
        SameDiff sd = tinyGraph();
        Path file = dir.resolve("sub/model.fb");
        GraphFiles.save(sd, file, false);
        try (var listing = Files.list(file.getParent())) {
            assertEquals(1, listing.count(), "no temporary file may remain");
        }
        SameDiff back = GraphFiles.load(file, false);
        INDArray in = Nd4j.ones(DataType.FLOAT, 2, 3);
        assertEquals(sd.output(Map.of("x", in), "y").get("y"), back.output(Map.of("x", in), "y").get("y"));
        String hash = GraphFiles.sha256(file);
        assertEquals(64, hash.length());
        sd.getVariable("w").getArr().addi(1);
        GraphFiles.save(sd, file, false);
        assertNotEquals(hash, GraphFiles.sha256(file));
    }

    @Test
    void missingEmptyTruncatedAndGarbageFilesFailClearly() throws IOException {
        assertThrows(NoSuchFileException.class, () -> GraphFiles.load(dir.resolve("none.fb"), false));
        Path empty = Files.createFile(dir.resolve("empty.fb"));
        assertTrue(assertThrows(CorruptModelException.class, () -> GraphFiles.load(empty, false))
                .getMessage().contains("empty"));
        Path good = dir.resolve("good.fb");
        GraphFiles.save(tinyGraph(), good, false);
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated.fb");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 3));
        CorruptModelException e = assertThrows(CorruptModelException.class, () -> GraphFiles.load(truncated, false));
        assertTrue(e.getMessage().contains("truncated.fb"), e.getMessage());
        Path garbage = dir.resolve("garbage.fb");
        Files.writeString(garbage, "this is not a model at all, just some text that is long enough");
        assertThrows(CorruptModelException.class, () -> GraphFiles.load(garbage, false));
    }

    @Test
    void atomicWriteReplacesContentAndLeavesOldFileOnFailure() throws IOException {
        Path f = dir.resolve("a.txt");
        AtomicFiles.writeString(f, "one");
        AtomicFiles.writeString(f, "two");
        assertEquals("two", Files.readString(f));
        assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write("partial".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("two", Files.readString(f));
        try (var listing = Files.list(dir)) {
            assertEquals(1, listing.count());
        }
    }
}
