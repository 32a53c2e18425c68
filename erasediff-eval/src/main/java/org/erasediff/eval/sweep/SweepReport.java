package org.erasediff.eval.sweep;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.erasediff.dl4j.checkpoint.AtomicFiles;
import org.erasediff.dl4j.sweep.SweepObjective;
import org.erasediff.dl4j.sweep.SweepRecord;
import org.erasediff.dl4j.sweep.SweepSummary;
import org.erasediff.eval.report.ChartSpec;
import org.erasediff.eval.report.LabelledPoint;
import org.erasediff.eval.report.Plots;

/**
 * A sweep's pictures and table: every scored candidate placed by quality (x) and forgetting (y),
 * the Pareto front's members marked, and a Markdown table of every candidate in the objective's
 * ranking (those meeting its bars first, then by the scalarised score), candidates missing a bar marked.
 */
public final class SweepReport {

    /** Name of the Pareto plot. */
    public static final String PLOT = "pareto.png";
    /** Name of the table. */
    public static final String TABLE = "table.md";

    private final SweepObjective objective;

    /** @param objective the figures on the axes and the score */
    public SweepReport(SweepObjective objective) {
        this.objective = objective;
    }

    /**
     * Writes {@value #PLOT} and {@value #TABLE} into {@code dir}, atomically.
     *
     * @throws IllegalArgumentException if no candidate was scored
     * @throws IOException              if writing fails
     */
    public void write(Path dir, List<SweepRecord> records, SweepSummary summary) throws IOException {
        AtomicFiles.writePng(dir.resolve(PLOT), plot(records, summary));
        AtomicFiles.writeString(dir.resolve(TABLE), table(records, summary));
    }

    /** Quality (x) against forgetting (y), one point per scored candidate: "#i", "#i front", "#i best". */
    public BufferedImage plot(List<SweepRecord> records, SweepSummary summary) {
        List<LabelledPoint> points = new ArrayList<>();
        for (SweepRecord r : records) {
            if (r.isOk()) {
                points.add(new LabelledPoint("#" + r.index() + mark(r, summary), r.metrics().get(objective.qualityKey()),
                        r.metrics().get(objective.forgetKey())));
            }
        }
        if (points.isEmpty()) {
            throw new IllegalArgumentException("no candidate was scored: nothing to plot");
        }
        return Plots.scatter(ChartSpec.builder("Sweep: forgetting vs quality (Pareto front marked)",
                objective.qualityKey(), objective.forgetKey()).build(), points);
    }

    /** Every candidate as a Markdown table row, best score first; failed ones last with their error. */
    public String table(List<SweepRecord> records, SweepSummary summary) {
        Set<String> params = new LinkedHashSet<>();
        Set<String> metrics = new LinkedHashSet<>();
        for (SweepRecord r : records) {
            params.addAll(r.parameters().keySet());
            metrics.addAll(r.metrics().keySet());
        }
        List<String> figures = new ArrayList<>();
        List<String> shown = new ArrayList<>(List.of(objective.forgetKey(), "p_forget_sa", "argmax_forget",
                "argmax_forget_sa", objective.qualityKey(), "accuracy_remain"));
        shown.addAll(objective.bars().keySet());
        for (String k : shown) {
            if (metrics.contains(k) && !figures.contains(k)) {
                figures.add(k);
            }
        }
        StringBuilder sb = new StringBuilder("| # | | ");
        sb.append(String.join(" | ", params)).append(" | ").append(String.join(" | ", figures))
                .append(" | objective | seconds |\n|");
        sb.append("---|".repeat(2 + params.size() + figures.size() + 2)).append('\n');
        List<SweepRecord> sorted = new ArrayList<>(records);
        sorted.sort(objective.ranking());
        for (SweepRecord r : sorted) {
            sb.append("| ").append(r.index()).append(" | ").append(mark(r, summary).trim()).append(" | ");
            for (String p : params) {
                sb.append(format(r.parameters().get(p))).append(" | ");
            }
            for (String f : figures) {
                sb.append(format(r.metrics().get(f))).append(" | ");
            }
            sb.append(r.isOk() ? format(r.objective()) : "failed: " + r.error()).append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f", r.seconds())).append(" |\n");
        }
        return sb.toString();
    }

    private String mark(SweepRecord r, SweepSummary s) {
        String best = s.best() != null && s.best().index() == r.index() ? " best" : "";
        String front = s.pareto().stream().anyMatch(p -> p.index() == r.index()) ? " front" : "";
        String bar = r.isOk() && !objective.bars().isEmpty() && !objective.meetsBars(r.metrics()) ? " misses bar" : "";
        return best + front + bar;
    }

    private static String format(Object v) {
        if (v instanceof Double d) {
            return Math.abs(d) >= 0.01 || d == 0 ? String.format(Locale.ROOT, "%.4g", d)
                    : String.format(Locale.ROOT, "%.2e", d);
        }
        return v == null ? "" : String.valueOf(v).replace("|", "\\|");
    }
}
