package org.erasediff.dl4j.listen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.erasediff.dl4j.checkpoint.AtomicFiles;

/**
 * Writes the per-step metrics as {@code metrics.csv} and {@code metrics.json} in a folder, every
 * {@code every} steps and at the end, however the run ends (atomically, so a reader never sees half
 * a file). After a resume the files hold the restored steps too.
 */
public final class MetricsHistoryListener implements RunListener {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final int every;
    private final List<StepMetrics> rows = new ArrayList<>();

    /**
     * @param dir   output folder (created if missing)
     * @param every steps between writes (&gt; 0)
     */
    public MetricsHistoryListener(Path dir, int every) {
        if (every <= 0) {
            throw new IllegalArgumentException("every must be > 0, was " + every);
        }
        this.dir = dir;
        this.every = every;
    }

    @Override
    public void onStart(RunContext context) {
        rows.clear();
        rows.addAll(context.history());
    }

    @Override
    public boolean onStep(StepMetrics m, RunContext context) {
        rows.add(m);
        if (rows.size() % every == 0) {
            write();
        }
        return true;
    }

    @Override
    public void onEnd(RunContext context, Throwable failure) {
        rows.clear();
        rows.addAll(context.history());
        write();
    }

    /** The rows recorded so far (a copy). */
    public List<StepMetrics> rows() {
        return List.copyOf(rows);
    }

    private void write() {
        try {
            StringBuilder csv = new StringBuilder(StepMetrics.CSV_HEADER).append('\n');
            for (StepMetrics m : rows) {
                csv.append(m.toCsv()).append('\n');
            }
            AtomicFiles.writeString(dir.resolve("metrics.csv"), csv.toString());
            AtomicFiles.writeString(dir.resolve("metrics.json"), JSON.writeValueAsString(rows) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the metrics history to " + dir + ": " + e.getMessage(), e);
        }
    }
}
