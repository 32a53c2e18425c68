package org.erasediff.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {

    @Test
    void lineChartPngHasRequestedSize(@TempDir Path dir) throws Exception {
        ChartSpec spec = ChartSpec.builder("Losses", "step", "loss").optSize(640, 360).optLogY(true).build();
        Path png = dir.resolve("loss.png");
        Plots.writeLineChart(png, spec, List.of(
                Series.of("forget", new double[] {1.0, 0.5, 0.3}),
                Series.of("remain", new double[] {0.9, 0.8, 0.7})));
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(640, img.getWidth());
        assertEquals(360, img.getHeight());
        assertTrue(distinctColours(img) > 2, "a chart should not be blank");
    }

    @Test
    void scatterOfLabelledModels(@TempDir Path dir) throws Exception {
        ChartSpec spec = ChartSpec.builder("Forgetting vs quality", "P(y = c_f)", "FID").build();
        Path png = dir.resolve("scatter.png");
        Plots.writeScatter(png, spec, List.of(new LabelledPoint("Unscrubbed", 0.97, 9.7),
                new LabelledPoint("EraseDiff", 0.22, 8.0), new LabelledPoint("SA", 0.16, 9.1)));
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(ChartSpec.DEFAULT_WIDTH, img.getWidth());
        assertEquals(ChartSpec.DEFAULT_HEIGHT, img.getHeight());
    }

    @Test
    void rejectsInvalidSeries() {
        ChartSpec log = ChartSpec.builder("t", "x", "y").optLogY(true).build();
        assertThrows(IllegalArgumentException.class,
                () -> Plots.lineChart(log, List.of(Series.of("q", new double[] {1, 0}))));
        ChartSpec linear = ChartSpec.builder("t", "x", "y").build();
        assertThrows(IllegalArgumentException.class, () -> Plots.lineChart(linear,
                List.of(Series.of("a", new double[] {1}), Series.of("a", new double[] {2}))));
        assertThrows(IllegalArgumentException.class, () -> Plots.lineChart(linear, List.of()));
        assertThrows(IllegalArgumentException.class, () -> Series.of("nan", new double[] {Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> new Series("bad", new double[] {1, 2}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> ChartSpec.builder("t", "x", "y").optSize(50, 400).build());
    }

    @Test
    void chartSpecRoundTripsThroughJson() throws Exception {
        ChartSpec spec = ChartSpec.builder("λ and q", "step", "value").optSize(300, 200).optLogY(true).build();
        ObjectMapper mapper = new ObjectMapper();
        assertEquals(spec, mapper.readValue(mapper.writeValueAsString(spec), ChartSpec.class));
    }

    private static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 7) {
            for (int x = 0; x < img.getWidth(); x += 7) {
                colours.add(img.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
