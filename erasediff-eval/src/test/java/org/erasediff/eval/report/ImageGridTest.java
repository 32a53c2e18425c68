package org.erasediff.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImageGridTest {

    private static final int WHITE = 0xFFFFFF;
    private static final int BLACK = 0x000000;

    @Test
    void layoutOneRowPerClassWithForgottenBandAndEmptyCells() {
        // 4x4 grey images: class 0 gets two white images, class 2 one black image, class 1 none
        INDArray images = Nd4j.concat(0, Nd4j.ones(2, 1, 4, 4), Nd4j.ones(1, 1, 4, 4).negi());
        int[] classes = {0, 0, 2};
        ImageGrid grid = ImageGrid.builder(3).optScale(2).optPadding(2).optLabelColumn(false)
                .optForgottenClasses(Set.of(2)).build();
        BufferedImage img = grid.render(images, classes);
        int frame = 2;
        int cell = 8;
        int columns = 2;
        assertEquals(2 + 2 * frame + columns * cell + (columns - 1) * 2 + 2, img.getWidth());
        assertEquals(2 + 3 * (cell + 2 * frame + 2), img.getHeight());

        int x0 = 2 + frame;
        assertEquals(WHITE, rgb(img, x0 + 3, rowTop(0) + 3), "class 0, first image");
        assertEquals(WHITE, rgb(img, x0 + cell + 2 + 3, rowTop(0) + 3), "class 0, second image");
        assertEquals(0xDDDDDD, rgb(img, x0 + 3, rowTop(1) + 3), "class 1 has no images: empty cell");
        assertEquals(BLACK, rgb(img, x0 + 3, rowTop(2) + 3), "class 2, black image");
        assertEquals(0xD01010, rgb(img, x0 - 1, rowTop(2) + 3), "forgotten row frame is red");
        assertEquals(0xD01010, rgb(img, x0 + cell, rowTop(2) + 3), "gaps of a forgotten row show the band");
        assertEquals(0xDDDDDD, rgb(img, x0 + cell + 2 + 3, rowTop(2) + 3), "forgotten row's empty slot");
        assertEquals(WHITE, rgb(img, x0 - 1, rowTop(0) + 3), "other rows have no frame");
    }

    @Test
    void rgbImagesLabelColumnAndPngFile(@TempDir Path dir) throws Exception {
        INDArray images = Nd4j.zeros(2, 3, 5, 5);
        images.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(0))
                .assign(1); // first image: red channel +1, others 0 -> (255, 128, 128)
        ImageGrid grid = ImageGrid.builder(2).optScale(3).optClassNames(List.of("zero", "one"))
                .optColumns(4).build();
        Path png = dir.resolve("grid.png");
        grid.write(png, images, new int[] {1, 1});
        BufferedImage read = ImageIO.read(png.toFile());
        BufferedImage direct = grid.render(images, new int[] {1, 1});
        assertEquals(direct.getWidth(), read.getWidth());
        assertEquals(direct.getHeight(), read.getHeight());
        int labelWidth = direct.getWidth() - (2 + 2 * 3 + 4 * 15 + 3 * 2 + 2);
        assertTrue(labelWidth > 10, "label column width " + labelWidth);
        int x = labelWidth + 2 + 3 + 1;
        int y = 2 + (15 + 6 + 2) + 3 + 1;
        assertEquals(0xFF8080, read.getRGB(x, y) & 0xFFFFFF);
        assertEquals(0x808080, read.getRGB(x + 15 + 2, y) & 0xFFFFFF);
        boolean ink = false;
        for (int yy = 0; yy < direct.getHeight() && !ink; yy++) {
            for (int xx = 0; xx < labelWidth; xx++) {
                ink |= (direct.getRGB(xx, yy) & 0xFFFFFF) != WHITE;
            }
        }
        assertTrue(ink, "label column should contain text");
    }

    @Test
    void rejectsInvalidInput() {
        ImageGrid grid = ImageGrid.builder(2).optColumns(1).build();
        INDArray images = Nd4j.zeros(2, 1, 4, 4);
        assertThrows(IllegalArgumentException.class, () -> grid.render(images, new int[] {0, 2}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> grid.render(images, new int[] {0, 0}));
        assertTrue(e.getMessage().contains("columns=1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> grid.render(Nd4j.zeros(2, 2, 4, 4), new int[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.builder(2).optScale(0).build());
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.builder(2).optForgottenClasses(Set.of(5)).build());
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.builder(2).optClassNames(List.of("a")).build());
    }

    private static int rowTop(int row) {
        return 2 + row * (8 + 4 + 2) + 2;
    }

    private static int rgb(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xFFFFFF;
    }
}
