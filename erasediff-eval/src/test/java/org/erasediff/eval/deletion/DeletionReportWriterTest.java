package org.erasediff.eval.deletion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.testing.TinyGraphs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeletionReportWriterTest {

    @TempDir
    Path dir;

    private static DeletionEvidence evidence(String name, double memorised, double auc) {
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("memorised_fraction", memorised);
        f.put("mia_auc", auc);
        f.put("mia_tpr_at_1pct_fpr", 0.25);
        f.put("accuracy", 0.97);
        f.put("fid", Double.NaN);
        return new DeletionEvidence(name, name + "-sha", f, List.of(
                new DeletionEvidence.ImageEvidence(3, 0, 1.5, 0.25, 4.0, true, 0.01),
                new DeletionEvidence.ImageEvidence(5, 2, 9.5, 2.0, 4.0, false, 0.02)));
    }

    static DeletionReport report() {
        LabelledImages data = TinyGraphs.stripes(6);
        LabelledImages forget = data.subset(new int[] {3, 5}, "forget");
        Map<String, Object> method = new LinkedHashMap<>();
        method.put("name", "EraseDiff");
        method.put("config", Map.of("outerSteps", 2));
        return new DeletionReport(DeletionReportWriter.FORMAT, "Deletion of 2 images",
                DeletionRequest.of(forget, data, "2 sample ids of stripes"), "in-sha", "out-sha", method,
                Map.of("threshold", Map.of("rule", "fixed pixel L2 4.0")), evidence("before", 0.5, 1.0),
                evidence("after", 0.0, 0.5), Map.of("unlearning_seconds", 1.5), Map.of("java", "17"),
                "./erasediff unlearn --forget-ids 3,5", "2026-12-01T00:00:00Z");
    }

    @Test
    void roundTripsAndTheMarkdownHoldsTheRequestHashesAndEvidence() throws IOException {
        DeletionReport r = report();
        List<Path> files = DeletionReportWriter.write(dir.resolve("out"), r);
        assertEquals(List.of(dir.resolve("out/deletion-report.json"), dir.resolve("out/deletion-report.md")), files);
        assertTrue(!Files.readString(files.get(1)).contains("!["), "no figure given");
        DeletionReport back = DeletionReportWriter.read(files.get(0));
        assertEquals(r, back);
        assertTrue(Double.isNaN(back.before().figure("fid")), "NaN survives as a string");

        String md = Files.readString(files.get(1));
        for (DeletionRequest.RequestedImage i : r.request().images()) {
            assertTrue(md.contains("| " + i.id() + " | " + i.label() + " | `" + i.sha256() + "` |"), md);
        }
        assertTrue(md.contains("| memorised_fraction | 0.5000 | 0.0000 |"), md);
        assertTrue(md.contains("| mia_auc | 1.0000 | 0.5000 |"), md);
        assertTrue(md.contains("- input: `in-sha`") && md.contains("- output: `out-sha`"), md);
        assertTrue(md.contains("| 3 | 0 | 4.0000 | 1.5000 | 1.5000 | yes | yes |"), md);
        assertTrue(md.contains("./erasediff unlearn --forget-ids 3,5"), md);
        try (var s = Files.list(dir.resolve("out"))) {
            assertEquals(2, s.count(), "no temporary file left");
        }
    }

    @Test
    void figuresAreWrittenBesideAndShownInTheMarkdown() throws IOException {
        java.awt.image.BufferedImage png = new java.awt.image.BufferedImage(4, 3, java.awt.image.BufferedImage.TYPE_INT_RGB);
        List<Path> files = DeletionReportWriter.write(dir, report(), Map.of("nearest", png));
        assertEquals(dir.resolve("nearest.png"), files.get(0));
        assertEquals(4, javax.imageio.ImageIO.read(files.get(0).toFile()).getWidth());
        assertTrue(Files.readString(dir.resolve(DeletionReportWriter.MARKDOWN_FILE)).contains("![nearest](nearest.png)"));
        assertThrows(IllegalArgumentException.class, () -> DeletionReportWriter.write(dir.resolve("bad"), report(),
                Map.of("../up", png)));
        assertTrue(!Files.exists(dir.resolve("bad")), "nothing written for a bad name");
    }

    @Test
    void imageHashesAreTheSha256OfTheRawPixels() throws Exception {
        LabelledImages data = TinyGraphs.stripes(6);
        byte[] px = new byte[data.imageSize()];
        for (int k = 0; k < px.length; k++) {
            px[k] = (byte) data.pixel(4, k);
        }
        String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(px));
        DeletionRequest req = DeletionRequest.of(data.subset(new int[] {4}, "f"), data, "1 id");
        assertEquals(expected, req.images().get(0).sha256());
        assertEquals(4, req.images().get(0).id());
        assertEquals(data.contentHash(), req.dataSha256());
        // images 1 and 4 are the same stripe: the same hash; 0 is another
        assertEquals(DeletionRequest.imageSha256(data, 1), DeletionRequest.imageSha256(data, 4));
        assertTrue(!DeletionRequest.imageSha256(data, 0).equals(DeletionRequest.imageSha256(data, 4)));
    }

    @Test
    void aFileThatIsNotADeletionReportIsRefused() throws IOException {
        Path other = Files.writeString(dir.resolve("x.json"), "{\"format\": \"erasediff-evaluation-report/1\"}");
        IOException e = assertThrows(IOException.class, () -> DeletionReportWriter.read(other));
        assertTrue(e.getMessage().contains("not a deletion report"), e.getMessage());
    }
}
