package org.erasediff.eval.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Cost of a run: time per step and memory.
 *
 * @param steps          number of steps timed, {@code >= 1}
 * @param totalSeconds   wall-clock seconds for those steps, {@code >= 0}
 * @param secondsPerStep {@code totalSeconds / steps}
 * @param peakHeapBytes  peak JVM heap since the JVM started (sum of pool peaks, see
 *                       {@link PeakMemory#peakHeapBytes()})
 * @param peakRssBytes   peak resident set size of the process since it started (heap, off-heap and
 *                       native memory together), or {@code -1} when unknown
 */
public record RunCost(long steps, double totalSeconds, double secondsPerStep, long peakHeapBytes,
                      long peakRssBytes) {

    private static final double MIB = 1024.0 * 1024.0;

    /**
     * Validates the values.
     *
     * @throws IllegalArgumentException naming the field out of range
     */
    public RunCost {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, found " + steps);
        }
        if (!(totalSeconds >= 0) || Double.isInfinite(totalSeconds)) {
            throw new IllegalArgumentException("totalSeconds must be finite and >= 0, found " + totalSeconds);
        }
        double expected = totalSeconds / steps;
        if (!(Math.abs(secondsPerStep - expected) <= 1e-9 * Math.max(1, expected))) {
            throw new IllegalArgumentException("secondsPerStep must equal totalSeconds / steps = " + expected
                    + ", found " + secondsPerStep);
        }
        if (peakHeapBytes < 0 || peakRssBytes < -1) {
            throw new IllegalArgumentException("memory values must be >= 0 (peakRssBytes may be -1 for unknown), found heap="
                    + peakHeapBytes + ", rss=" + peakRssBytes);
        }
    }

    /**
     * Records a timing and samples the memory figures now (call it right after the timed steps).
     *
     * @param steps        steps timed, {@code >= 1}
     * @param totalSeconds their wall-clock seconds
     * @return the cost
     */
    public static RunCost measure(long steps, double totalSeconds) {
        return new RunCost(steps, totalSeconds, steps < 1 ? 0 : totalSeconds / steps, PeakMemory.peakHeapBytes(),
                PeakMemory.peakRssBytes().orElse(-1));
    }

    /**
     * The values as named scalars: {@code seconds_per_step}, {@code peak_heap_mib} and, when
     * known, {@code peak_rss_mib}.
     */
    public Map<String, Double> toScalars() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("seconds_per_step", secondsPerStep);
        out.put("peak_heap_mib", peakHeapBytes / MIB);
        if (peakRssBytes >= 0) {
            out.put("peak_rss_mib", peakRssBytes / MIB);
        }
        return out;
    }
}
