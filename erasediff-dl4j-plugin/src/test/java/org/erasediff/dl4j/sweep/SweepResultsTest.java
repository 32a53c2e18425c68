package org.erasediff.dl4j.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.erasediff.dl4j.checkpoint.CorruptModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The results files: what a kill can leave is resumed, anything else is refused without writing. */
class SweepResultsTest {

    @TempDir
    Path dir;

    private static SweepRecord record(int i) {
        return new SweepRecord(i, "hash" + i, "erasediff", Map.of("lr", 1e-3 * (i + 1), "steps", 3),
                "{\"outerSteps\":3}", SweepRecord.OK, Map.of("p_forget", 0.5 / (i + 1), "fid_remain", 10.0 + i),
                0.6 + i, 1.5, null);
    }

    /** A results folder with {@code n} records. */
    private Path results(int n) throws IOException {
        SweepResults r = SweepResults.open(dir);
        for (int i = 0; i < n; i++) {
            r.append(record(i));
        }
        return dir;
    }

    private byte[] bytes(String name) throws IOException {
        return Files.readAllBytes(dir.resolve(name));
    }

    @Test
    void everyRecordReadsBackAndBothFilesAreWholeAfterEachCandidate() throws IOException {
        results(3);
        List<SweepRecord> back = SweepResults.open(dir).records();
        assertEquals(List.of(record(0), record(1), record(2)), back);
        assertEquals(3, Files.readAllLines(dir.resolve(SweepResults.JSONL)).size());
        assertEquals(SweepResults.csv(back), Files.readString(dir.resolve(SweepResults.CSV)));
    }

    @Test
    void aKillBetweenTheTwoWritesIsResumedAndTheTableBroughtUpToDate() throws IOException {
        results(2);
        byte[] table2 = bytes(SweepResults.CSV);
        SweepResults.open(dir).append(record(2));
        Files.write(dir.resolve(SweepResults.CSV), table2); // the state a kill after the jsonl write leaves
        SweepResults r = SweepResults.open(dir);
        assertEquals(3, r.records().size());
        assertArrayEquals(table2, bytes(SweepResults.CSV), "opening only reads");
        r.completeInterruptedWrite();
        assertEquals(SweepResults.csv(r.records()), Files.readString(dir.resolve(SweepResults.CSV)));
    }

    @Test
    void aCutOffLastLineOfTheEarlierAppendingWriterIsDroppedAndItsCandidateRunsAgain() throws IOException {
        results(2);
        Files.writeString(dir.resolve(SweepResults.JSONL), "{\"index\":2,\"config_h", StandardOpenOption.APPEND);
        SweepResults r = SweepResults.open(dir);
        assertEquals(2, r.records().size());
        assertTrue(r.finished(2).isEmpty());
        r.completeInterruptedWrite();
        assertTrue(Files.readString(dir.resolve(SweepResults.JSONL)).endsWith("}\n"));
        assertEquals(2, SweepResults.open(dir).records().size());
    }

    @Test
    void damagedFilesAreRefusedNamingTheFileAndNothingIsWritten() throws IOException {
        results(3);
        byte[] jsonl = bytes(SweepResults.JSONL);
        byte[] csv = bytes(SweepResults.CSV);
        String text = new String(jsonl, StandardCharsets.UTF_8);
        int objective = text.indexOf("\"objective\":0.6") + "\"objective\":0.".length();
        byte[] flipped = jsonl.clone();
        flipped[objective] ^= 1; // 0.6 -> 0.7: still JSON, still a record
        String[] lines = text.split("\n");
        for (var c : List.of(
                List.of("truncated", Arrays.copyOf(jsonl, jsonl.length / 2), csv, "truncated or damaged"),
                List.of("emptied", new byte[0], csv, "holds 0 records"),
                List.of("a bit flipped", flipped, csv, "disagree on candidate 0"),
                List.of("a garbage line", (lines[0] + "\nnot a record\n" + lines[1] + "\n" + lines[2] + "\n")
                        .getBytes(StandardCharsets.UTF_8), csv, "line 2 is not a sweep record"),
                List.of("a line twice", (text + lines[1] + "\n").getBytes(StandardCharsets.UTF_8), csv,
                        "candidate 1 appears twice"),
                List.of("an empty table", jsonl, new byte[0], "disagree on its header"))) {
            Files.write(dir.resolve(SweepResults.JSONL), (byte[]) c.get(1));
            Files.write(dir.resolve(SweepResults.CSV), (byte[]) c.get(2));
            CorruptModelException e = assertThrows(CorruptModelException.class, () -> SweepResults.open(dir),
                    (String) c.get(0));
            assertTrue(e.getMessage().contains(SweepResults.JSONL) && e.getMessage().contains((String) c.get(3)),
                    c.get(0) + ": " + e.getMessage());
            assertArrayEquals((byte[]) c.get(1), bytes(SweepResults.JSONL), "nothing written: " + c.get(0));
            assertArrayEquals((byte[]) c.get(2), bytes(SweepResults.CSV), "nothing written: " + c.get(0));
        }
        Files.delete(dir.resolve(SweepResults.JSONL));
        Files.write(dir.resolve(SweepResults.CSV), csv);
        CorruptModelException e = assertThrows(CorruptModelException.class, () -> SweepResults.open(dir));
        assertTrue(e.getMessage().contains("results.csv has no results.jsonl beside it"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve(SweepResults.JSONL)));
    }
}
