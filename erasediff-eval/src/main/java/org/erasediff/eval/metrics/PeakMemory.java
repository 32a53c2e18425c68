package org.erasediff.eval.metrics;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads the peak memory use of this process since it started: the peak resident set size from
 * {@code /proc/self/status} (Linux; covers the JVM heap, ND4J's off-heap array memory and native
 * libraries together) and the peak JVM heap from the memory-pool beans.
 *
 * <p>ND4J's off-heap arrays are not visible to JavaCPP's byte counters or ND4J's allocation
 * tracker on the CPU backend (both stayed flat while a 40 MB array was allocated), so the resident
 * set size is the only reliable measure of off-heap memory.
 */
public final class PeakMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private PeakMemory() {
    }

    /**
     * The peak resident set size of this process ({@code VmHWM}), covering heap, off-heap and
     * native memory together.
     *
     * @return the bytes, or empty where {@code /proc/self/status} is not available (not Linux)
     */
    public static OptionalLong peakRssBytes() {
        if (!Files.isReadable(STATUS)) {
            return OptionalLong.empty();
        }
        try {
            return statusFieldBytes(Files.readAllLines(STATUS), "VmHWM");
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Resets the peak resident set size to the current one (Linux: writes {@code 5} to
     * {@code /proc/self/clear_refs}), so that {@link #peakRssBytes()} then measures the peak of
     * what runs next.
     *
     * @return whether the reset worked (false where the kernel does not allow it)
     */
    public static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /**
     * Sum over the JVM heap pools of each pool's peak usage since the JVM started. The pools peak at different moments, so this is an upper bound of
     * the true simultaneous peak.
     *
     * @return bytes
     */
    public static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /**
     * Parses a {@code Name:  value kB} line of a {@code /proc/<pid>/status} listing.
     *
     * @param lines the listing
     * @param field the field name without the colon, for example {@code VmHWM}
     * @return the value in bytes, or empty when the field is missing or malformed
     */
    static OptionalLong statusFieldBytes(List<String> lines, String field) {
        String prefix = field + ":";
        for (String line : lines) {
            if (!line.startsWith(prefix)) {
                continue;
            }
            String[] parts = line.substring(prefix.length()).trim().split("\\s+");
            try {
                long value = Long.parseLong(parts[0]);
                long unit = parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? 1024L : 1L;
                return OptionalLong.of(value * unit);
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }
}
