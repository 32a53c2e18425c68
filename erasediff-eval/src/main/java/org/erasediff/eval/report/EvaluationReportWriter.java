package org.erasediff.eval.report;

import org.erasediff.dl4j.checkpoint.AtomicFiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.RenderedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an {@link EvaluationReport} into a folder: the figures as PNGs, {@code report.json}
 * (machine-readable) and {@code report.md} (tables of values and deltas to the reference, the
 * figures, the provenance). Every file is written atomically; {@code report.md} comes last, so a
 * complete Markdown file means a complete report.
 *
 * <p>{@code report.json} holds {@code format}, {@code title}, {@code reference} (the first
 * model's name), {@code provenance}, {@code models} (each {@code name}, {@code metrics},
 * {@code perClass}), {@code deltas} (model → metric → {@code model − reference}) and
 * {@code figures} (file names). Non-finite numbers are written as the strings {@code "NaN"},
 * {@code "Infinity"} and {@code "-Infinity"}; {@link #read(Path)} turns them back into doubles.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class EvaluationReportWriter {

    /** Format tag written into {@code report.json}. */
    public static final String FORMAT = "erasediff-evaluation-report/1";
    /** File name of the JSON report. */
    public static final String JSON_FILE = "report.json";
    /** File name of the Markdown report. */
    public static final String MARKDOWN_FILE = "report.md";

    private static final Logger LOG = LoggerFactory.getLogger(EvaluationReportWriter.class);
    private static final Pattern FIGURE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Creates a writer. */
    public EvaluationReportWriter() {
        // the mapper is configured in the field initialiser
    }

    /**
     * Writes the report without figures.
     *
     * @param directory the report folder (created if missing; existing report files are replaced)
     * @param report    the report
     * @return the files written
     * @throws IOException if writing fails
     */
    public List<Path> write(Path directory, EvaluationReport report) throws IOException {
        return write(directory, report, Map.of());
    }

    /**
     * Writes the report with figures.
     *
     * @param directory the report folder (created if missing; existing files of the same names
     *                  are replaced)
     * @param report    the report
     * @param figures   images by file name ({@code [A-Za-z0-9][A-Za-z0-9._-]*}, "{@code .png}"
     *                  appended when missing), written in map order; not modified
     * @return the files written, figures first, then {@code report.json} and {@code report.md}
     * @throws IllegalArgumentException if a figure name is invalid or repeats, or a provenance
     *                                  value cannot be serialised
     * @throws IOException              if writing fails
     */
    public List<Path> write(Path directory, EvaluationReport report, Map<String, ? extends RenderedImage> figures)
            throws IOException {
        if (directory == null || report == null || figures == null) {
            throw new IllegalArgumentException("directory, report and figures must be non-null");
        }
        Map<String, RenderedImage> files = new LinkedHashMap<>();
        for (Map.Entry<String, ? extends RenderedImage> e : figures.entrySet()) {
            String file = figureFile(e.getKey());
            if (e.getValue() == null) {
                throw new IllegalArgumentException("figure '" + e.getKey() + "' must not be null");
            }
            if (files.put(file, e.getValue()) != null) {
                throw new IllegalArgumentException("figure names must map to distinct files, found '" + file + "' twice");
            }
        }
        String json = mapper.writeValueAsString(toJson(report, new ArrayList<>(files.keySet())));
        String markdown = new MarkdownRenderer(mapper).render(report, new ArrayList<>(files.keySet()));

        Files.createDirectories(directory);
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, RenderedImage> e : files.entrySet()) {
            Path png = directory.resolve(e.getKey());
            AtomicFiles.writePng(png, e.getValue());
            written.add(png);
        }
        Path jsonPath = directory.resolve(JSON_FILE);
        AtomicFiles.writeString(jsonPath, json + "\n");
        written.add(jsonPath);
        Path mdPath = directory.resolve(MARKDOWN_FILE);
        AtomicFiles.writeString(mdPath, markdown);
        written.add(mdPath);
        LOG.info("Wrote evaluation report '{}' ({} models, {} figures) to {}", report.title(),
                report.models().size(), files.size(), directory);
        return written;
    }

    /**
     * Reads a {@code report.json} back (title, models and provenance; the derived deltas and the
     * figure list are not part of the report object).
     *
     * @param reportJson the file
     * @return the report
     * @throws IOException if the file cannot be read or is not a report of this format
     */
    public static EvaluationReport read(Path reportJson) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode root = mapper.readTree(reportJson.toFile());
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new IOException(reportJson + " is not an evaluation report: expected format '" + FORMAT
                    + "', found '" + (root == null ? "" : root.path("format").asText()) + "'");
        }
        try {
            List<ModelEvaluation> models = new ArrayList<>();
            for (JsonNode m : root.path("models")) {
                models.add(mapper.treeToValue(m, ModelEvaluation.class));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> provenance = mapper.treeToValue(root.path("provenance"), LinkedHashMap.class);
            return new EvaluationReport(root.path("title").asText(), models, provenance);
        } catch (IllegalArgumentException e) {
            throw new IOException(reportJson + " holds an invalid report: " + e.getMessage(), e);
        }
    }

    private ObjectNode toJson(EvaluationReport report, List<String> figureFiles) {
        ObjectNode root = mapper.createObjectNode();
        root.put("format", FORMAT);
        root.put("title", report.title());
        root.put("reference", report.reference().name());
        try {
            root.set("provenance", mapper.valueToTree(report.provenance()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("provenance values must be serialisable to JSON: " + e.getMessage(), e);
        }
        ArrayNode models = root.putArray("models");
        for (ModelEvaluation m : report.models()) {
            models.add(mapper.valueToTree(m));
        }
        root.set("deltas", mapper.valueToTree(report.deltas()));
        ArrayNode figures = root.putArray("figures");
        figureFiles.forEach(figures::add);
        return root;
    }

    private static String figureFile(String name) {
        if (name == null) {
            throw new IllegalArgumentException("figure names must not be null");
        }
        String file = name.endsWith(".png") ? name : name + ".png";
        if (!FIGURE_NAME.matcher(file).matches()) {
            throw new IllegalArgumentException("figure name must match [A-Za-z0-9][A-Za-z0-9._-]* (at most 100 characters), found '"
                    + name + "'");
        }
        return file;
    }
}
