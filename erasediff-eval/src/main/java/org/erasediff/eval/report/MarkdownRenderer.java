package org.erasediff.eval.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders an {@link EvaluationReport} as Markdown (package-private: used by the writer). */
final class MarkdownRenderer {

    private final ObjectMapper mapper;

    MarkdownRenderer(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The Markdown text: a metrics table (values and deltas to the reference), one table per
     * per-class array, the figures and the provenance.
     */
    String render(EvaluationReport report, List<String> figureFiles) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(escapeText(report.title())).append("\n\n");
        List<ModelEvaluation> models = report.models();
        ModelEvaluation ref = report.reference();
        md.append("Reference model: **").append(escapeText(ref.name())).append("**");
        if (models.size() > 1) {
            md.append("; Δ = model − reference");
        }
        md.append(".\n\n");
        appendMetrics(md, report);
        appendJudges(md, report);
        appendPerClass(md, report);
        if (!figureFiles.isEmpty()) {
            md.append("## Figures\n\n");
            for (String file : figureFiles) {
                String base = file.substring(0, file.length() - ".png".length());
                md.append("![").append(escapeText(base)).append("](").append(file).append(")\n\n");
            }
        }
        if (!report.provenance().isEmpty()) {
            md.append("## Provenance\n\n| Key | Value |\n| --- | --- |\n");
            for (Map.Entry<String, Object> e : report.provenance().entrySet()) {
                if (e.getKey().equals(EvaluationReport.JUDGES)) {
                    continue; // shown in its own table
                }
                md.append("| ").append(cell(e.getKey())).append(" | ").append(cell(provenanceValue(e.getValue())))
                        .append(" |\n");
            }
            md.append('\n');
        }
        return md.toString();
    }

    private void appendMetrics(StringBuilder md, EvaluationReport report) {
        List<String> metrics = report.metricNames();
        if (metrics.isEmpty()) {
            return;
        }
        List<ModelEvaluation> models = report.models();
        ModelEvaluation ref = report.reference();
        md.append("## Metrics\n\n| Metric | ").append(cell(ref.name())).append(" |");
        for (ModelEvaluation m : models.subList(1, models.size())) {
            md.append(' ').append(cell(m.name())).append(" | Δ ").append(cell(m.name())).append(" |");
        }
        md.append("\n| --- | ---: |");
        md.append(" ---: | ---: |".repeat(models.size() - 1));
        md.append('\n');
        Map<String, Map<String, Double>> deltas = report.deltas();
        for (String metric : metrics) {
            md.append("| ").append(cell(metric)).append(" | ").append(number(ref.metric(metric))).append(" |");
            for (ModelEvaluation m : models.subList(1, models.size())) {
                md.append(' ').append(number(m.metric(metric))).append(" | ")
                        .append(signed(deltas.get(m.name()).get(metric))).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    /** H of each model under each judge beside the judge's entropy on content-free images. */
    private void appendJudges(StringBuilder md, EvaluationReport report) {
        Object value = report.provenance().get(EvaluationReport.JUDGES);
        if (value == null) {
            return;
        }
        JsonNode judges = mapper.valueToTree(value);
        if (!judges.isArray() || judges.isEmpty()) {
            return;
        }
        List<String> probes = new ArrayList<>();
        judges.get(0).path("entropy_content_free").fieldNames().forEachRemaining(probes::add);
        List<ModelEvaluation> models = report.models();
        md.append("## Judges: entropy H beside its content-free ceiling\n\n");
        md.append("H of the forgotten classes' samples under each judge, and the judge's mean entropy on "
                + "content-free images (what H is for samples without content; the maximum is ln C).\n\n");
        md.append("| Judge | H metric |");
        for (ModelEvaluation m : models) {
            md.append(" H ").append(cell(m.name())).append(" |");
        }
        for (String p : probes) {
            md.append(" content-free: ").append(cell(p)).append(" |");
        }
        md.append(" ln C |\n| --- | --- |");
        md.append(" ---: |".repeat(models.size() + probes.size() + 1)).append('\n');
        for (JsonNode j : judges) {
            String key = j.path("entropy_key").asText();
            md.append("| ").append(cell(j.path("name").asText())).append(" | ").append(cell(key)).append(" |");
            for (ModelEvaluation m : models) {
                md.append(' ').append(number(m.metric(key))).append(" |");
            }
            JsonNode cf = j.path("entropy_content_free");
            for (String p : probes) {
                md.append(' ').append(cf.has(p) ? number(cf.get(p).asDouble()) : "–").append(" |");
            }
            md.append(' ').append(j.has("max_entropy") ? number(j.get("max_entropy").asDouble()) : "–").append(" |\n");
        }
        md.append('\n');
    }

    private void appendPerClass(StringBuilder md, EvaluationReport report) {
        List<ModelEvaluation> models = report.models();
        for (String name : report.perClassNames()) {
            int classes = 0;
            for (ModelEvaluation m : models) {
                double[] v = m.perClass().get(name);
                classes = Math.max(classes, v == null ? 0 : v.length);
            }
            md.append("## Per class: ").append(escapeText(name)).append("\n\n| Class |");
            for (ModelEvaluation m : models) {
                md.append(' ').append(cell(m.name())).append(" |");
            }
            md.append("\n| ---: |").append(" ---: |".repeat(models.size())).append('\n');
            for (int c = 0; c < classes; c++) {
                md.append("| ").append(c).append(" |");
                for (ModelEvaluation m : models) {
                    double[] v = m.perClass().get(name);
                    md.append(' ').append(v == null || c >= v.length ? "–" : number(v[c])).append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
        }
    }

    private String provenanceValue(Object value) {
        if (value instanceof String s) {
            return s;
        }
        try {
            return mapper.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("provenance value must be serialisable to JSON, found "
                    + value.getClass().getName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** A number with four decimals, or scientific notation outside [1e-3, 1e6); "–" for NaN. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "−∞";
        }
        double a = Math.abs(v);
        if (a == 0 || (a >= 1e-3 && a < 1e6)) {
            return String.format(Locale.ROOT, "%.4f", v);
        }
        return String.format(Locale.ROOT, "%.3e", v);
    }

    /** Like {@link #number} with an explicit sign. */
    static String signed(double v) {
        String s = number(v);
        return v > 0 && Double.isFinite(v) ? "+" + s : s;
    }

    private static String cell(String text) {
        return escapeText(text).replace("|", "\\|");
    }

    private static String escapeText(String text) {
        return text.replace("\r", " ").replace("\n", " ");
    }
}
