package org.erasediff.core.progress;

import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Logs one line at most every {@code intervalSeconds} (and at the end) for a job of known
 * length: {@code "<task> 120/2000 (6.0%) 1.9 s/it, elapsed 3m48s, ETA 59m32s | <detail>"}.
 * Not thread-safe; one meter per job.
 */
public final class ProgressMeter {

    private final Logger log;
    private final String task;
    private final long total;
    private final double intervalSeconds;
    private final long startNanos;
    private final long startDone;
    private long lastLogNanos;

    /**
     * @param log             where lines go
     * @param task            what is being done (e.g. "train")
     * @param total           the number of units when done
     * @param alreadyDone     units done before this meter started (a resumed run); excluded from the rate
     * @param intervalSeconds minimum seconds between lines
     */
    public ProgressMeter(Logger log, String task, long total, long alreadyDone, double intervalSeconds) {
        if (total <= 0) {
            throw new IllegalArgumentException("total must be > 0, was " + total);
        }
        this.log = log;
        this.task = task;
        this.total = total;
        this.intervalSeconds = intervalSeconds;
        this.startNanos = System.nanoTime();
        this.startDone = alreadyDone;
        this.lastLogNanos = startNanos;
    }

    /**
     * Reports that {@code done} units are finished; logs if the interval has passed or the job is done.
     *
     * @param done   units done so far (including those before a resume)
     * @param detail extra text (e.g. the loss), computed only when a line is written; may be {@code null}
     * @return whether a line was written
     */
    public boolean update(long done, Supplier<String> detail) {
        long now = System.nanoTime();
        boolean finished = done >= total;
        if (!finished && (now - lastLogNanos) / 1e9 < intervalSeconds) {
            return false;
        }
        lastLogNanos = now;
        log.info(line(done, now, detail == null ? null : detail.get()));
        return true;
    }

    /** The line {@link #update} would write now, without writing it. */
    public String line(long done, long nowNanos, String detail) {
        double elapsed = (nowNanos - startNanos) / 1e9;
        long doneHere = Math.max(0, done - startDone);
        double perUnit = doneHere == 0 ? Double.NaN : elapsed / doneHere;
        double eta = Double.isNaN(perUnit) ? Double.NaN : perUnit * Math.max(0, total - done);
        StringBuilder sb = new StringBuilder(task).append(' ').append(done).append('/').append(total)
                .append(String.format(Locale.ROOT, " (%.1f%%)", 100.0 * done / total));
        if (!Double.isNaN(perUnit)) {
            sb.append(String.format(Locale.ROOT, " %.3g s/it", perUnit));
        }
        sb.append(", elapsed ").append(duration(elapsed)).append(", ETA ").append(duration(eta));
        if (detail != null && !detail.isEmpty()) {
            sb.append(" | ").append(detail);
        }
        return sb.toString();
    }

    /** Formats seconds as e.g. {@code 1h02m03s}, {@code 4m05s} or {@code 7s}; {@code ?} if unknown. */
    public static String duration(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        if (h > 0) {
            return String.format(Locale.ROOT, "%dh%02dm%02ds", h, m, sec);
        }
        if (m > 0) {
            return String.format(Locale.ROOT, "%dm%02ds", m, sec);
        }
        return sec + "s";
    }
}
