package org.erasediff.core.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Loads a user's own labelled images from a folder with one sub-folder per class
 * ({@code root/<class name>/*.png|jpg|jpeg}). Class indices follow the sub-folders' names in
 * sorted order; images are converted to the requested channels (grayscale by luminance, or RGB)
 * and resized to the model's size with bilinear interpolation. Sample ids number the images in
 * (class, file name) order.
 */
public final class ImageFolderReader {

    private final int channels;
    private final int height;
    private final int width;

    /**
     * @param channels 1 (grayscale) or 3 (RGB)
     * @param height   target height
     * @param width    target width
     */
    public ImageFolderReader(int channels, int height, int width) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, was " + channels);
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("target size must be positive, was " + height + "x" + width);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /**
     * The result of reading a folder.
     *
     * @param images     the images
     * @param classNames the class names in index order
     * @param files      the file of each image, in sample-id order (id {@code i} is {@code files.get(i)})
     */
    public record Result(LabelledImages images, List<String> classNames, List<Path> files) {
    }

    /**
     * Reads every image below {@code root}.
     *
     * @throws IllegalArgumentException if the root is not a folder, has no class sub-folder, or a class has no image
     * @throws DataFormatException      if a file cannot be decoded as an image (the message names the file)
     * @throws IOException              if listing or reading fails
     */
    public Result read(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("image folder " + root + " does not exist or is not a folder");
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory).sorted().toList();
        }
        if (classDirs.isEmpty()) {
            throw new IllegalArgumentException("image folder " + root
                    + " has no sub-folders: expected one sub-folder of images per class");
        }
        List<String> names = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<byte[]> images = new ArrayList<>();
        List<Path> paths = new ArrayList<>();
        for (int c = 0; c < classDirs.size(); c++) {
            Path dir = classDirs.get(c);
            names.add(dir.getFileName().toString());
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(ImageFolderReader::isImageFile).sorted().toList();
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException("class folder " + dir + " has no .png, .jpg or .jpeg image");
            }
            for (Path f : files) {
                images.add(load(f));
                labels.add(c);
                paths.add(f);
            }
        }
        int sz = channels * height * width;
        byte[] pixels = new byte[images.size() * sz];
        int[] lab = new int[images.size()];
        int[] ids = new int[images.size()];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i), 0, pixels, i * sz, sz);
            lab[i] = labels.get(i);
            ids[i] = i;
        }
        String name = "folder:" + root.getFileName();
        return new Result(new LabelledImages(name, channels, height, width, names.size(), pixels, lab, ids),
                List.copyOf(names), List.copyOf(paths));
    }

    private static boolean isImageFile(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
    }

    private byte[] load(Path file) throws IOException {
        BufferedImage src;
        try {
            src = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DataFormatException(file + ": cannot decode image: " + e.getMessage(), e);
        }
        if (src == null) {
            throw new DataFormatException(file + ": not a readable PNG or JPEG image");
        }
        BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        byte[] out = new byte[channels * height * width];
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = scaled.getRGB(x, y);
                int r = (rgb >> 16) & 0xFF;
                int gr = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                int k = y * width + x;
                if (channels == 1) {
                    out[k] = (byte) Math.round(0.299 * r + 0.587 * gr + 0.114 * b);
                } else {
                    out[k] = (byte) r;
                    out[plane + k] = (byte) gr;
                    out[2 * plane + k] = (byte) b;
                }
            }
        }
        return out;
    }
}
