package org.erasediff.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {

    @TempDir
    Path root;

    private void write(String cls, String file, Color color, int size, String format) throws IOException {
        Path dir = Files.createDirectories(root.resolve(cls));
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, size, size);
        g.dispose();
        ImageIO.write(img, format, dir.resolve(file).toFile());
    }

    @Test
    void readsClassesInSortedOrderResizedAndConverted() throws IOException {
        write("cat", "a.png", Color.WHITE, 40, "png");
        write("cat", "b.jpg", Color.WHITE, 16, "jpg");
        write("ant", "x.png", new Color(255, 0, 0), 10, "png");
        ImageFolderReader.Result gray = new ImageFolderReader(1, 8, 8).read(root);
        assertEquals(List.of("ant", "cat"), gray.classNames());
        assertEquals(List.of(root.resolve("ant/x.png"), root.resolve("cat/a.png"), root.resolve("cat/b.jpg")),
                gray.files());
        LabelledImages g = gray.images();
        assertEquals(3, g.size());
        assertEquals(8, g.height());
        assertEquals(0, g.label(0));
        assertEquals(1, g.label(2));
        assertEquals(Math.round(0.299 * 255), g.pixel(0, 20), 1);
        assertTrue(g.pixel(1, 0) > 250);

        LabelledImages rgb = new ImageFolderReader(3, 4, 4).read(root).images();
        assertEquals(3, rgb.channels());
        assertEquals(255, rgb.pixel(0, 0));
        assertEquals(0, rgb.pixel(0, 16));
        assertEquals(0, rgb.pixel(0, 32));
    }

    @Test
    void reportsMissingAndBrokenInputClearly() throws IOException {
        ImageFolderReader reader = new ImageFolderReader(1, 8, 8);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> reader.read(root.resolve("nope")))
                .getMessage().contains("does not exist"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> reader.read(root))
                .getMessage().contains("no sub-folders"));
        Files.createDirectories(root.resolve("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> reader.read(root))
                .getMessage().contains("has no .png"));
        Files.writeString(root.resolve("empty").resolve("broken.png"), "not an image");
        DataFormatException e = assertThrows(DataFormatException.class, () -> reader.read(root));
        assertTrue(e.getMessage().contains("broken.png"), e.getMessage());
    }
}
