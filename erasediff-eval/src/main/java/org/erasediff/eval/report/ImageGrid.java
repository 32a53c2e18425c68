package org.erasediff.eval.report;

import org.erasediff.dl4j.checkpoint.AtomicFiles;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Renders images {@code [N, C, H, W]} with values in {@code [-1, 1]} ({@code C} = 1 grey or 3 RGB)
 * as a grid with one row per class.
 *
 * <p>Layout: row {@code r} holds the images of class {@code r} in the order they appear in the
 * input; every class has a row, even without images, and the number of columns is fixed by
 * {@link Builder#optColumns} (default: the largest class count). Given images generated with the
 * same seeds and label order, every model therefore gets the same layout and grids compare image by
 * image. An optional label column on the left names each class; rows of forgotten classes are set
 * on a red band (with a red label). Cells without an image are light grey; values outside
 * {@code [-1, 1]} are clamped. Each pixel becomes a {@code scale × scale} block.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ImageGrid {

    static {
        Headless.ensure();
    }

    private static final Color BACKGROUND = Color.WHITE;
    private static final Color EMPTY_CELL = new Color(0xDD, 0xDD, 0xDD);
    private static final Color FORGOTTEN = new Color(0xD0, 0x10, 0x10);
    private static final Color LABEL = Color.BLACK;

    private final int numClasses;
    private final int scale;
    private final int padding;
    private final boolean labelColumn;
    private final List<String> classNames;
    private final Set<Integer> forgottenClasses;
    private final int columns;

    private ImageGrid(Builder b) {
        this.numClasses = b.numClasses;
        this.scale = b.scale;
        this.padding = b.padding;
        this.labelColumn = b.labelColumn;
        this.classNames = b.classNames;
        this.forgottenClasses = b.forgottenClasses;
        this.columns = b.columns;
    }

    /**
     * Starts a builder.
     *
     * @param numClasses number of classes (rows), {@code >= 1}
     * @return the builder
     */
    public static Builder builder(int numClasses) {
        return new Builder(numClasses);
    }

    /**
     * Renders the grid.
     *
     * @param images  {@code [N, C, H, W]} with {@code C} 1 or 3, values in {@code [-1, 1]}; not modified
     * @param classes per image its class (row), each in {@code [0, numClasses)}
     * @return a new RGB image owned by the caller
     * @throws IllegalArgumentException if the shapes or classes are invalid, or a class has more
     *                                  images than the configured columns
     */
    public BufferedImage render(INDArray images, int[] classes) {
        if (images == null || images.rank() != 4) {
            throw new IllegalArgumentException("images must have shape [N, C, H, W], found "
                    + (images == null ? "null" : Arrays.toString(images.shape())));
        }
        int n = (int) images.size(0);
        int channels = (int) images.size(1);
        int h = (int) images.size(2);
        int w = (int) images.size(3);
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images must have 1 or 3 channels, found " + channels);
        }
        if (n < 1 || h < 1 || w < 1) {
            throw new IllegalArgumentException("images must be non-empty, found shape " + Arrays.toString(images.shape()));
        }
        if (classes == null || classes.length != n) {
            throw new IllegalArgumentException("classes must have one entry per image (" + n + "), found "
                    + (classes == null ? "null" : classes.length));
        }
        List<List<Integer>> rows = new ArrayList<>();
        for (int r = 0; r < numClasses; r++) {
            rows.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            if (classes[i] < 0 || classes[i] >= numClasses) {
                throw new IllegalArgumentException("classes[" + i + "] must be in [0, " + numClasses + "), found " + classes[i]);
            }
            rows.get(classes[i]).add(i);
        }
        int cols = columns;
        if (cols == 0) {
            for (List<Integer> row : rows) {
                cols = Math.max(cols, row.size());
            }
        }
        for (int r = 0; r < numClasses; r++) {
            if (rows.get(r).size() > cols) {
                throw new IllegalArgumentException("class " + r + " must have at most columns=" + cols
                        + " images, found " + rows.get(r).size());
            }
        }
        double[][] pixels = images.reshape('c', new long[] {n, (long) channels * h * w}).toDoubleMatrix();
        return draw(rows, cols, pixels, channels, h, w);
    }

    /**
     * Renders the grid and writes it as a PNG atomically.
     *
     * @param png     the target file
     * @param images  {@code [N, C, H, W]} in {@code [-1, 1]}; not modified
     * @param classes per image its class (row)
     * @throws IOException if writing fails
     */
    public void write(Path png, INDArray images, int[] classes) throws IOException {
        AtomicFiles.writePng(png, render(images, classes));
    }

    private BufferedImage draw(List<List<Integer>> rows, int cols, double[][] pixels, int channels, int h, int w) {
        int cellW = w * scale;
        int cellH = h * scale;
        int frame = Math.max(2, scale);
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, Math.min(24, (int) (cellH * 0.6))));
        int labelWidth = labelColumn ? labelWidth(font) : 0;
        int bandHeight = cellH + 2 * frame;
        int width = labelWidth + padding + 2 * frame + cols * cellW + Math.max(cols - 1, 0) * padding + padding;
        int height = padding + numClasses * (bandHeight + padding);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(font);
            FontMetrics fm = g.getFontMetrics();
            for (int r = 0; r < numClasses; r++) {
                int bandTop = padding + r * (bandHeight + padding);
                int bandLeft = labelWidth + padding;
                boolean forgotten = forgottenClasses.contains(r);
                if (forgotten) {
                    g.setColor(FORGOTTEN);
                    g.fillRect(bandLeft, bandTop, width - bandLeft - padding, bandHeight);
                }
                if (labelColumn) {
                    g.setColor(forgotten ? FORGOTTEN : LABEL);
                    int baseline = bandTop + (bandHeight - fm.getHeight()) / 2 + fm.getAscent();
                    g.drawString(classNames.get(r), padding, baseline);
                }
                List<Integer> row = rows.get(r);
                for (int c = 0; c < cols; c++) {
                    int x = bandLeft + frame + c * (cellW + padding);
                    int y = bandTop + frame;
                    if (c < row.size()) {
                        paintCell(img, pixels[row.get(c)], channels, h, w, x, y);
                    } else {
                        g.setColor(EMPTY_CELL);
                        g.fillRect(x, y, cellW, cellH);
                    }
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private int labelWidth(Font font) {
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = probe.createGraphics();
        try {
            FontMetrics fm = g.getFontMetrics(font);
            int max = 0;
            for (String name : classNames) {
                max = Math.max(max, fm.stringWidth(name));
            }
            return max + padding;
        } finally {
            g.dispose();
        }
    }

    private void paintCell(BufferedImage img, double[] px, int channels, int h, int w, int x0, int y0) {
        int plane = h * w;
        for (int yy = 0; yy < h; yy++) {
            for (int xx = 0; xx < w; xx++) {
                int idx = yy * w + xx;
                int rgb;
                if (channels == 1) {
                    int v = toByte(px[idx]);
                    rgb = (v << 16) | (v << 8) | v;
                } else {
                    rgb = (toByte(px[idx]) << 16) | (toByte(px[plane + idx]) << 8) | toByte(px[2 * plane + idx]);
                }
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        img.setRGB(x0 + xx * scale + dx, y0 + yy * scale + dy, rgb);
                    }
                }
            }
        }
    }

    private static int toByte(double v) {
        double clamped = Math.max(-1, Math.min(1, v));
        return (int) Math.round((clamped + 1) * 127.5);
    }

    /** Builder for {@link ImageGrid}; the number of classes is required, the rest optional. */
    public static final class Builder {
        private final int numClasses;
        private int scale = 2;
        private int padding = 2;
        private boolean labelColumn = true;
        private List<String> classNames;
        private Set<Integer> forgottenClasses = Set.of();
        private int columns;

        private Builder(int numClasses) {
            this.numClasses = numClasses;
        }

        /** Pixel block size per image pixel, in {@code [1, 64]} (default 2). */
        public Builder optScale(int value) {
            this.scale = value;
            return this;
        }

        /** Gap in pixels between cells and rows and around the grid, in {@code [0, 256]} (default 2). */
        public Builder optPadding(int value) {
            this.padding = value;
            return this;
        }

        /** Whether a label column names the classes (default true). */
        public Builder optLabelColumn(boolean value) {
            this.labelColumn = value;
            return this;
        }

        /** Names of the classes, one per class (default "0", "1", …). */
        public Builder optClassNames(List<String> value) {
            if (value != null && value.stream().anyMatch(java.util.Objects::isNull)) {
                throw new IllegalArgumentException("classNames must not contain null, found " + value);
            }
            this.classNames = value == null ? null : List.copyOf(value);
            return this;
        }

        /** Classes whose rows are marked as forgotten, each in {@code [0, numClasses)} (default none). */
        public Builder optForgottenClasses(Set<Integer> value) {
            if (value != null && value.stream().anyMatch(java.util.Objects::isNull)) {
                throw new IllegalArgumentException("forgottenClasses must not contain null, found " + value);
            }
            this.forgottenClasses = value == null ? null : Collections.unmodifiableSet(new TreeSet<>(value));
            return this;
        }

        /**
         * Number of columns, {@code >= 1}; fix it to compare grids of models with different image
         * counts (default 0: the largest class count of each rendered set).
         */
        public Builder optColumns(int value) {
            this.columns = value;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the field out of range
         */
        public ImageGrid build() {
            if (numClasses < 1 || numClasses > 10_000) {
                throw new IllegalArgumentException("numClasses must be in [1, 10000], found " + numClasses);
            }
            if (scale < 1 || scale > 64) {
                throw new IllegalArgumentException("scale must be in [1, 64], found " + scale);
            }
            if (padding < 0 || padding > 256) {
                throw new IllegalArgumentException("padding must be in [0, 256], found " + padding);
            }
            if (columns < 0) {
                throw new IllegalArgumentException("columns must be >= 1 (or 0 for automatic), found " + columns);
            }
            if (forgottenClasses == null) {
                throw new IllegalArgumentException("forgottenClasses must not be null (use an empty set)");
            }
            for (int c : forgottenClasses) {
                if (c < 0 || c >= numClasses) {
                    throw new IllegalArgumentException("forgottenClasses entries must be in [0, " + numClasses
                            + "), found " + c);
                }
            }
            if (classNames == null) {
                List<String> names = new ArrayList<>();
                for (int i = 0; i < numClasses; i++) {
                    names.add(Integer.toString(i));
                }
                classNames = List.copyOf(names);
            } else if (classNames.size() != numClasses) {
                throw new IllegalArgumentException("classNames must have numClasses=" + numClasses
                        + " entries, found " + classNames.size());
            }
            return new ImageGrid(this);
        }
    }
}
