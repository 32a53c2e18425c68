package org.erasediff.eval.deletion;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.image.RenderedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.erasediff.dl4j.checkpoint.AtomicFiles;

/**
 * Writes a {@link DeletionReport} as {@code deletion-report.json} (machine-readable, read back by
 * {@link #read}) and {@code deletion-report.md} (the request, the models, the evidence before and
 * after side by side, per image, and how it was measured), with optional figures (PNG files beside
 * them, shown in the Markdown). Every file is written atomically, the Markdown last, so a complete
 * Markdown file means a complete report. Non-finite numbers are
 * written as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
 */
public final class DeletionReportWriter {

    /** Format tag of the JSON file. */
    public static final String FORMAT = "erasediff-deletion-report/1";
    /** File name of the JSON report. */
    public static final String JSON_FILE = "deletion-report.json";
    /** File name of the Markdown report. */
    public static final String MARKDOWN_FILE = "deletion-report.md";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DeletionReportWriter() {
    }

    /**
     * Writes both files into {@code directory} (created if missing; files of the same names are replaced).
     *
     * @return the JSON and the Markdown file
     */
    public static List<Path> write(Path directory, DeletionReport report) throws IOException {
        return write(directory, report, Map.of());
    }

    /**
     * Writes the figures, then both files, into {@code directory} (created if missing; files of the
     * same names are replaced).
     *
     * @param figures PNG images by caption, written as {@code <key>.png}; keys
     *                {@code [a-z0-9][a-z0-9_-]*}
     * @return the figures, the JSON and the Markdown file
     * @throws IllegalArgumentException if a figure name is invalid
     */
    public static List<Path> write(Path directory, DeletionReport report,
                                   Map<String, ? extends RenderedImage> figures) throws IOException {
        for (String name : figures.keySet()) {
            if (!name.matches("[a-z0-9][a-z0-9_-]{0,60}")) {
                throw new IllegalArgumentException("figure names must match [a-z0-9][a-z0-9_-]*, found '" + name + "'");
            }
        }
        String json = JSON.writeValueAsString(report) + "\n";
        String markdown = markdown(report, List.copyOf(figures.keySet()));
        Files.createDirectories(directory);
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, ? extends RenderedImage> f : figures.entrySet()) {
            Path png = directory.resolve(f.getKey() + ".png");
            AtomicFiles.writePng(png, f.getValue());
            written.add(png);
        }
        Path j = directory.resolve(JSON_FILE);
        Path m = directory.resolve(MARKDOWN_FILE);
        AtomicFiles.writeString(j, json);
        AtomicFiles.writeString(m, markdown);
        written.add(j);
        written.add(m);
        return written;
    }

    /**
     * Reads a {@code deletion-report.json}.
     *
     * @throws IOException if the file cannot be read or is not a deletion report
     */
    public static DeletionReport read(Path file) throws IOException {
        try {
            return JSON.readValue(file.toFile(), DeletionReport.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(file + " is not a deletion report: " + e.getMessage(), e);
        }
    }

    /** The Markdown form. */
    static String markdown(DeletionReport r, List<String> figures) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(r.title()).append("\n\n");
        sb.append("Created ").append(r.created()).append(".\n\n");
        sb.append("## Request\n\n");
        sb.append(r.request().description()).append(", data set `").append(r.request().data()).append("` (SHA-256 `")
                .append(r.request().dataSha256()).append("`). Image hashes: SHA-256 of the raw 8-bit pixels, channels "
                        + "first, row by row.\n\n");
        sb.append("| id | class | SHA-256 |\n|---:|---:|---|\n");
        for (DeletionRequest.RequestedImage i : r.request().images()) {
            sb.append("| ").append(i.id()).append(" | ").append(i.label()).append(" | `").append(i.sha256())
                    .append("` |\n");
        }
        sb.append("\n## Models\n\n");
        sb.append("- input: `").append(r.inputModelSha256()).append("`\n");
        sb.append("- output: `").append(r.outputModelSha256()).append("`\n\n");
        sb.append("## Evidence\n\n| figure | before | after |\n|---|---:|---:|\n");
        Set<String> keys = new LinkedHashSet<>(r.before().figures().keySet());
        keys.addAll(r.after().figures().keySet());
        for (String k : keys) {
            sb.append("| ").append(k).append(" | ").append(cell(r.before().figures().get(k))).append(" | ")
                    .append(cell(r.after().figures().get(k))).append(" |\n");
        }
        sb.append("\n`memorised_fraction`: requested images with a generated near-copy; `mia_auc`, "
                + "`mia_tpr_at_1pct_fpr`: a loss-based membership-inference attack, requested images against "
                + "held-out images of the same classes (0.5: the attack cannot tell them apart).\n\n");
        sb.append("### Per image\n\n| id | class | threshold | nearest L2 before | after | near-copy before | after "
                + "| feature distance before | after | loss before | after |\n"
                + "|---:|---:|---:|---:|---:|:---:|:---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < r.before().images().size(); i++) {
            DeletionEvidence.ImageEvidence b = r.before().images().get(i);
            DeletionEvidence.ImageEvidence a = r.after().images().get(i);
            sb.append("| ").append(b.id()).append(" | ").append(b.label()).append(" | ").append(cell(b.pixelThreshold()))
                    .append(" | ").append(cell(b.nearestPixelL2())).append(" | ").append(cell(a.nearestPixelL2()))
                    .append(" | ").append(b.nearCopy() ? "yes" : "no").append(" | ").append(a.nearCopy() ? "yes" : "no")
                    .append(" | ").append(cell(b.nearestFeatureDistance())).append(" | ")
                    .append(cell(a.nearestFeatureDistance())).append(" | ").append(cell(b.loss())).append(" | ")
                    .append(cell(a.loss())).append(" |\n");
        }
        for (String f : figures) {
            sb.append("\n![").append(f).append("](").append(f).append(".png)\n");
        }
        sb.append("\n## How it was measured\n\n```json\n").append(pretty(r.evidenceSettings())).append("\n```\n\n");
        sb.append("## Method\n\n```json\n").append(pretty(r.method())).append("\n```\n\n");
        sb.append("## Timings (s)\n\n");
        r.timings().forEach((k, v) -> sb.append("- ").append(k).append(": ").append(cell(v)).append('\n'));
        sb.append("\n## Versions\n\n");
        r.versions().forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        sb.append("\n## Command\n\n```\n").append(r.command()).append("\n```\n");
        return sb.toString();
    }

    private static String pretty(Map<String, ?> m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (IOException e) {
            throw new IllegalArgumentException("report values must be serialisable to JSON: " + e.getMessage(), e);
        }
    }

    private static String cell(Double v) {
        return v == null ? "-" : Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.4f", v);
    }
}
