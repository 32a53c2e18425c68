package org.erasediff.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RunCostTest {

    @Test
    void parsesProcStatusFields() {
        List<String> status = List.of("Name:\tjava", "VmPeak:\t 9000 kB", "VmHWM:\t  123456 kB", "VmRSS:\t 100 kB");
        assertEquals(OptionalLong.of(123456L * 1024), PeakMemory.statusFieldBytes(status, "VmHWM"));
        assertEquals(OptionalLong.empty(), PeakMemory.statusFieldBytes(status, "VmSwap"));
        assertEquals(OptionalLong.empty(), PeakMemory.statusFieldBytes(List.of("VmHWM: lots"), "VmHWM"));
    }

    @Test
    void measuresThisProcess() {
        RunCost cost = RunCost.measure(4, 2.0);
        assertEquals(0.5, cost.secondsPerStep());
        assertTrue(cost.peakHeapBytes() > 0);
        if (Files.isReadable(Path.of("/proc/self/status"))) {
            assertTrue(cost.peakRssBytes() >= cost.peakHeapBytes() / 4, "peak RSS " + cost.peakRssBytes());
            assertEquals(cost.peakRssBytes() / (1024.0 * 1024.0), cost.toScalars().get("peak_rss_mib"));
        } else {
            assertFalse(cost.toScalars().containsKey("peak_rss_mib"));
        }
    }

    @Test
    void validatesValues() {
        assertThrows(IllegalArgumentException.class, () -> RunCost.measure(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RunCost(2, 1, 0.7, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> new RunCost(2, -1, -0.5, 0, -1));
    }
}
