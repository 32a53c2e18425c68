package org.erasediff.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationReportWriterTest {

    private static EvaluationReport sampleReport() {
        ModelEvaluation before = ModelEvaluation.builder("Unscrubbed")
                .metric("fid", 9.69).metric("p_target", 0.972).metric("entropy", 0.037)
                .perClass("accuracy", new double[] {0.9, 0.95, 0.99})
                .build();
        ModelEvaluation after = ModelEvaluation.builder("EraseDiff")
                .metrics(Map.of("fid", 7.97))
                .metric("p_target", 0.216).metric("entropy", 2.017).metric("kid", Double.NaN)
                .perClass("accuracy", new double[] {0.1, 0.94, 0.98})
                .build();
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("seed", 42);
        provenance.put("commit", "abc123");
        provenance.put("config", Map.of("lambda", "adaptive", "steps", 10));
        return new EvaluationReport("Forgetting class 0", List.of(before, after), provenance);
    }

    @Test
    void writesJsonMarkdownAndPngs(@TempDir Path dir) throws Exception {
        EvaluationReport report = sampleReport();
        Map<String, BufferedImage> figures = new LinkedHashMap<>();
        figures.put("grid_unscrubbed", new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB));
        figures.put("loss.png", Plots.lineChart(ChartSpec.builder("loss", "step", "loss").optSize(200, 150).build(),
                List.of(Series.of("loss", new double[] {3, 2, 1}))));
        Path out = dir.resolve("report");
        List<Path> written = new EvaluationReportWriter().write(out, report, figures);
        assertEquals(List.of(out.resolve("grid_unscrubbed.png"), out.resolve("loss.png"),
                out.resolve("report.json"), out.resolve("report.md")), written);

        JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(EvaluationReportWriter.FORMAT, json.get("format").asText());
        assertEquals("Unscrubbed", json.get("reference").asText());
        assertEquals(42, json.get("provenance").get("seed").asInt());
        assertEquals(10, json.get("provenance").get("config").get("steps").asInt());
        assertEquals(7.97 - 9.69, json.get("deltas").get("EraseDiff").get("fid").asDouble(), 1e-12);
        assertEquals(0.1, json.get("models").get(1).get("perClass").get("accuracy").get(0).asDouble());
        assertEquals("NaN", json.get("models").get(1).get("metrics").get("kid").asText());
        assertEquals(List.of("grid_unscrubbed.png", "loss.png"),
                List.of(json.get("figures").get(0).asText(), json.get("figures").get(1).asText()));

        assertEquals(report, EvaluationReportWriter.read(out.resolve("report.json")));

        BufferedImage grid = ImageIO.read(out.resolve("grid_unscrubbed.png").toFile());
        assertEquals(30, grid.getWidth());
        assertEquals(20, grid.getHeight());
        BufferedImage loss = ImageIO.read(out.resolve("loss.png").toFile());
        assertEquals(200, loss.getWidth());
        assertEquals(150, loss.getHeight());

        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("| Metric | Unscrubbed | EraseDiff | Δ EraseDiff |"), md);
        assertTrue(md.contains("| fid | 9.6900 | 7.9700 | -1.7200 |"), md);
        assertTrue(md.contains("| entropy | 0.0370 | 2.0170 | +1.9800 |"), md);
        assertTrue(md.contains("| kid | – | – | – |"), md);
        assertTrue(md.contains("## Per class: accuracy"), md);
        assertTrue(md.contains("| 0 | 0.9000 | 0.1000 |"), md);
        assertTrue(md.contains("![loss](loss.png)"), md);
        assertTrue(md.contains("| commit | abc123 |"), md);
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(4, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void singleModelReportAndRewrite(@TempDir Path dir) throws Exception {
        EvaluationReport single = new EvaluationReport("One model",
                List.of(ModelEvaluation.builder("m").metric("fid", 1.5).build()), null);
        EvaluationReportWriter writer = new EvaluationReportWriter();
        writer.write(dir, sampleReport());
        writer.write(dir, single);
        assertEquals(single, EvaluationReportWriter.read(dir.resolve("report.json")));
        assertTrue(Files.readString(dir.resolve("report.md")).contains("| fid | 1.5000 |"));
    }

    @Test
    void rejectsInvalidReportsAndFigureNames(@TempDir Path dir) {
        ModelEvaluation m = ModelEvaluation.builder("m").build();
        assertThrows(IllegalArgumentException.class, () -> new EvaluationReport("t", List.of(), null));
        assertThrows(IllegalArgumentException.class, () -> new EvaluationReport("t", List.of(m, m), null));
        assertThrows(IllegalArgumentException.class, () -> ModelEvaluation.builder(" ").build());
        EvaluationReport report = new EvaluationReport("t", List.of(m), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EvaluationReportWriter()
                .write(dir, report, Map.of("../escape", new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB))));
        assertTrue(e.getMessage().contains("../escape"), e.getMessage());
        assertThrows(java.io.IOException.class, () -> {
            Path notReport = dir.resolve("other.json");
            Files.writeString(notReport, "{\"format\":\"something-else\"}");
            EvaluationReportWriter.read(notReport);
        });
    }

    @Test
    void judgesAppearBesideEachModelsEntropy(@TempDir Path dir) throws Exception {
        EvaluationReport plain = sampleReport();
        Map<String, Object> provenance = new LinkedHashMap<>(plain.provenance());
        Map<String, Double> cfPsi = new LinkedHashMap<>();
        cfPsi.put("black", 0.63);
        cfPsi.put("grey", 2.3);
        Map<String, Double> cfSa = new LinkedHashMap<>();
        cfSa.put("black", 1.25);
        cfSa.put("grey", 0.5);
        provenance.put(EvaluationReport.JUDGES, List.of(
                Map.of("name", "ψ", "entropy_key", "entropy", "entropy_content_free", cfPsi, "max_entropy", Math.log(10)),
                Map.of("name", "ψ_SA", "entropy_key", "entropy_sa", "entropy_content_free", cfSa)));
        EvaluationReport report = new EvaluationReport(plain.title(), plain.models(), provenance);
        Path out = dir.resolve("r");
        new EvaluationReportWriter().write(out, report);
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("| Judge | H metric | H Unscrubbed | H EraseDiff | content-free: black | content-free: grey "
                + "| ln C |"), md);
        assertTrue(md.contains("| ψ | entropy | 0.0370 | 2.0170 | 0.6300 | 2.3000 | 2.3026 |"), md);
        // ψ_SA's entropy is not among these models' metrics: shown as missing, never as another judge's
        assertTrue(md.contains("| ψ_SA | entropy_sa | – | – | 1.2500 | 0.5000 | – |"), md);
        assertTrue(md.indexOf("## Judges") > md.indexOf("## Metrics") && md.indexOf("## Judges") < md.indexOf("## Per class"));
        assertTrue(!md.contains("| judges |"), "not repeated in the provenance table");
        JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(1.25, json.get("provenance").get("judges").get(1).get("entropy_content_free").get("black").asDouble());
        // a report read back renders the same table
        Path again = dir.resolve("again");
        new EvaluationReportWriter().write(again, EvaluationReportWriter.read(out.resolve("report.json")));
        assertEquals(md, Files.readString(again.resolve("report.md")));
    }
}
