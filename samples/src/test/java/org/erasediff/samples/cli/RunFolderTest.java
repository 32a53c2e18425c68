package org.erasediff.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {

    @TempDir
    Path dir;

    @Test
    void everyDefaultRunGetsAFolderOfItsOwn() throws Exception {
        Path runs = dir.resolve("runs/unlearn");
        RunFolder first = RunFolder.of(null, runs);
        RunFolder second = RunFolder.of(null, runs);
        assertFalse(Files.exists(runs), "nothing is created before create()");
        Path a = first.create();
        Path b = second.create();
        assertNotEquals(a, b);
        assertTrue(Files.isDirectory(a) && Files.isDirectory(b));
        assertEquals(runs, a.getParent());
        assertTrue(a.getFileName().toString().matches("\\d{8}-\\d{6}(-\\d+)?"), a.toString());
        assertEquals(a, first.create(), "created once");
    }

    @Test
    void anExplicitFolderMustBeNew() throws Exception {
        Path taken = Files.createDirectories(dir.resolve("taken"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RunFolder.of(taken, "unlearn")).getMessage()
                .contains("exists"));
        Path fresh = dir.resolve("a/b/fresh");
        assertEquals(fresh, RunFolder.of(fresh, "unlearn").create());
        assertTrue(Files.isDirectory(fresh));
    }

    @Test
    void aResumableFolderIsNewEmptyOrARunOfTheSameSettings() throws Exception {
        Path fresh = dir.resolve("fresh");
        assertEquals(fresh, RunFolder.resumable(fresh, "config.json", "{}\n").create());
        assertEquals(fresh, RunFolder.resumable(fresh, "config.json", "{}\n").create(), "an empty folder: killed early");
        Files.writeString(fresh.resolve("config.json"), "{}\n");
        assertEquals(fresh, RunFolder.resumable(fresh, "config.json", "{}\n").create(), "the same settings");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RunFolder.resumable(fresh, "config.json",
                "{\"seed\": 2}\n")).getMessage().contains("other settings"));
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "mine");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RunFolder.resumable(other, "config.json", "{}\n"))
                .getMessage().contains("not a run folder"));
        assertEquals("mine", Files.readString(other.resolve("notes.txt")), "left alone");
    }
    @Test
    void aFolderIsDiscardedOnlyIfThisRunCreatedItAndWroteNothingButItsSettings() throws Exception {
        Path unused = dir.resolve("unused");
        RunFolder a = RunFolder.of(unused, "unlearn");
        Files.writeString(a.create().resolve("config.json"), "{}\n");
        Files.createDirectories(unused.resolve("history"));
        a.discardIfUnused(Set.of("config.json"));
        assertFalse(Files.exists(unused), "settings and empty folders only: removed");
        assertEquals(unused, RunFolder.of(unused, "unlearn").create(), "the same folder can be used again");

        Path worked = dir.resolve("worked");
        RunFolder b = RunFolder.of(worked, "unlearn");
        Files.writeString(b.create().resolve("config.json"), "{}\n");
        Files.writeString(Files.createDirectories(worked.resolve("checkpoints/step-50")).resolve("model.fb"), "w");
        b.discardIfUnused(Set.of("config.json"));
        assertTrue(Files.isRegularFile(worked.resolve("checkpoints/step-50/model.fb")), "a checkpoint is kept");

        Path earlier = Files.createDirectories(dir.resolve("earlier"));
        Files.writeString(earlier.resolve("config.json"), "{}\n");
        RunFolder c = RunFolder.resumable(earlier, "config.json", "{}\n");
        c.create();
        c.discardIfUnused(Set.of("config.json"));
        assertTrue(Files.isRegularFile(earlier.resolve("config.json")), "a folder from before this run is kept");
    }
}
