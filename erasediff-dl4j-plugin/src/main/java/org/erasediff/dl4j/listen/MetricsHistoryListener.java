package org.erasediff.dl4j.listen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.erasediff.dl4j.checkpoint.AtomicFiles;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.unlearn.EraseDiffListener;
import org.erasediff.dl4j.unlearn.StepMetrics;

/**
 * Writes the per-step metrics as {@code metrics.csv} and {@code metrics.json} in a folder, every
 * {@code every} steps and at the end (atomically, so a reader never sees half a file).
 */
public final class MetricsHistoryListener implements EraseDiffListener {

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
    public boolean onStep(StepMetrics m, DiffusionGraph model) {
        rows.add(m);
        if (rows.size() % every == 0) {
            write();
        }
        return true;
    }

    @Override
    public void onEnd(List<StepMetrics> history) {
        rows.clear();
        rows.addAll(history);
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
