package org.erasediff.samples.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault matrix, reduced for {@code mvn verify}: one kill trial per command (train, unlearn
 * faithful with evaluation, unlearn REFERENCE_COMPATIBLE, compare with EraseDiff alone, a sweep of
 * 2 candidates), the first corruption of every input kind (sweep results included), one refused and one aborted NaN injection, the file-size limit on unlearn. The whole
 * matrix is {@code .ci/faults}.
 */
class FaultMatrixTest {

    @TempDir
    Path work;

    @Test
    void everyFaultIsSurvivedCleanlyAndNothingIsHalfWrittenOrModified() throws Exception {
        Tally t = FaultMatrix.run(work, 14, 5, true);
        System.out.print(t.table()); // the seconds of each row, in the test's report
        assertTrue(t.failures().isEmpty(), String.join("\n", t.failures()));
        assertEquals(5, t.count("kill_trials"));
        assertEquals(5, t.count("resumed_exact"), "every resume exact");
        assertEquals(6, t.count("corrupt_inputs"), "one per input kind");
        assertEquals(6, t.count("rejected_cleanly"));
        assertEquals(2, t.count("nan_injections"));
        assertEquals(2, t.count("recovered"));
        assertEquals(1, t.count("disk_full_trials"));
        assertEquals(1, t.count("disk_full_clean"));
        assertEquals(0, t.count("inputs_modified"));
        assertEquals(0, t.count("half_written"));
    }
}
