package org.erasediff.core.data;

import java.nio.FloatBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An immutable set of labelled 8-bit images of one shape, each with a stable sample id.
 *
 * <p>Pixels are stored compactly as unsigned bytes ({@code [N·C·H·W]}, row-major, channels first)
 * and scaled to [−1, 1] only when copied into a batch. Sample ids identify images across splits
 * and subsets (for MNIST they are the indices in the original file), so a deletion request can
 * name individual images.
 */
public final class LabelledImages {

    private final String name;
    private final int channels;
    private final int height;
    private final int width;
    private final int numClasses;
    private final byte[] pixels;
    private final int[] labels;
    private final int[] ids;

    /**
     * Creates a set; the arrays are copied.
     *
     * @param name       a description for messages and provenance (e.g. "mnist-train")
     * @param channels   channels per image (1 or 3)
     * @param height     image height
     * @param width      image width
     * @param numClasses number of classes; every label is in {@code [0, numClasses)}
     * @param pixels     {@code N·C·H·W} unsigned bytes
     * @param labels     N labels
     * @param ids        N distinct sample ids
     * @throws IllegalArgumentException if sizes disagree, a label is out of range or ids repeat
     */
    public LabelledImages(String name, int channels, int height, int width, int numClasses,
                          byte[] pixels, int[] labels, int[] ids) {
        this(name, channels, height, width, numClasses, pixels.clone(), labels.clone(), ids.clone(), true);
    }

    private LabelledImages(String name, int channels, int height, int width, int numClasses,
                           byte[] pixels, int[] labels, int[] ids, boolean validate) {
        this.name = Objects.requireNonNull(name, "name");
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.numClasses = numClasses;
        this.pixels = pixels;
        this.labels = labels;
        this.ids = ids;
        if (validate) {
            validate();
        }
    }

    private void validate() {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException(name + ": channels must be 1 or 3, was " + channels);
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException(name + ": image size must be positive, was " + height + "x" + width);
        }
        if (numClasses <= 0) {
            throw new IllegalArgumentException(name + ": numClasses must be > 0, was " + numClasses);
        }
        if (labels.length != ids.length) {
            throw new IllegalArgumentException(name + ": " + labels.length + " labels but " + ids.length + " ids");
        }
        if ((long) labels.length * imageSize() != pixels.length) {
            throw new IllegalArgumentException(name + ": expected " + (long) labels.length * imageSize()
                    + " pixel bytes for " + labels.length + " images of " + channels + "x" + height + "x" + width
                    + ", found " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(name + ": label of image " + i + " is " + labels[i]
                        + ", expected 0.." + (numClasses - 1));
            }
        }
        int[] sorted = ids.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException(name + ": sample id " + sorted[i] + " occurs more than once");
            }
        }
    }

    /** Builds a set from an idx image file and an idx label file, using indices as sample ids. */
    public static LabelledImages fromIdx(String name, IdxArray images, IdxArray labels, int numClasses) {
        int[] d = images.dims();
        if (d.length != 3 && d.length != 4) {
            throw new IllegalArgumentException(name + ": image idx must have 3 (N,H,W) or 4 (N,C,H,W) dimensions, found "
                    + Arrays.toString(d));
        }
        if (labels.dims().length != 1) {
            throw new IllegalArgumentException(name + ": label idx must have 1 dimension, found "
                    + Arrays.toString(labels.dims()));
        }
        if (labels.count() != images.count()) {
            throw new IllegalArgumentException(name + ": " + images.count() + " images but " + labels.count() + " labels");
        }
        int c = d.length == 4 ? d[1] : 1;
        int h = d[d.length - 2];
        int w = d[d.length - 1];
        int n = images.count();
        int[] lab = new int[n];
        int[] ids = new int[n];
        byte[] raw = labels.data();
        for (int i = 0; i < n; i++) {
            lab[i] = raw[i] & 0xFF;
            ids[i] = i;
        }
        return new LabelledImages(name, c, h, w, numClasses, images.data(), lab, ids, true);
    }

    /** A description for messages and provenance. */
    public String name() {
        return name;
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** Channels per image. */
    public int channels() {
        return channels;
    }

    /** Image height. */
    public int height() {
        return height;
    }

    /** Image width. */
    public int width() {
        return width;
    }

    /** Values per image, {@code C·H·W}. */
    public int imageSize() {
        return channels * height * width;
    }

    /** Number of classes. */
    public int numClasses() {
        return numClasses;
    }

    /** Label of the image at position {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** Sample id of the image at position {@code i}. */
    public int id(int i) {
        return ids[i];
    }

    /** A copy of all labels in order. */
    public int[] labels() {
        return labels.clone();
    }

    /** A copy of all sample ids in order. */
    public int[] ids() {
        return ids.clone();
    }

    /** Unsigned pixel value {@code [0, 255]} of image {@code i} at flat offset {@code k} in {@code [0, C·H·W)}. */
    public int pixel(int i, int k) {
        return pixels[i * imageSize() + k] & 0xFF;
    }

    /** Number of images of each class. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    /**
     * The images at the given positions, as a new set with the same name suffix and shape.
     *
     * @param positions positions in this set (not sample ids)
     * @param newName   the new set's name
     */
    public LabelledImages subset(int[] positions, String newName) {
        int sz = imageSize();
        byte[] px = new byte[positions.length * sz];
        int[] lab = new int[positions.length];
        int[] id = new int[positions.length];
        for (int j = 0; j < positions.length; j++) {
            int i = positions[j];
            if (i < 0 || i >= size()) {
                throw new IllegalArgumentException(name + ": position " + i + " out of range 0.." + (size() - 1));
            }
            System.arraycopy(pixels, i * sz, px, j * sz, sz);
            lab[j] = labels[i];
            id[j] = ids[i];
        }
        return new LabelledImages(newName, channels, height, width, numClasses, px, lab, id, true);
    }

    /** The first {@code n} images of every class in {@code classes} (for small evaluation sets). */
    public LabelledImages firstPerClass(int n, List<Integer> classes, String newName) {
        int[] taken = new int[numClasses];
        int[] pos = new int[size()];
        int k = 0;
        for (int i = 0; i < size(); i++) {
            int l = labels[i];
            if (classes.contains(l) && taken[l] < n) {
                taken[l]++;
                pos[k++] = i;
            }
        }
        return subset(Arrays.copyOf(pos, k), newName);
    }

    /**
     * Copies images into a float array scaled to [−1, 1] (0 → −1, 255 → 1).
     *
     * @param positions positions of the images, one per row of {@code out}
     * @param out       a {@code [positions.length, C, H, W]} FLOAT array, contiguous, overwritten;
     *                  the caller owns it (reuse it across batches)
     * @param staging   a float scratch array of at least {@code positions.length·C·H·W}, or {@code null}
     */
    public void copyScaled(int[] positions, INDArray out, float[] staging) {
        int sz = imageSize();
        int n = positions.length;
        if (out.dataType() != DataType.FLOAT || out.length() != (long) n * sz || out.rank() != 4
                || out.isView() || out.ordering() != 'c') {
            throw new IllegalArgumentException("output must be a FLOAT, c-order, non-view [" + n + "," + channels + "," + height
                    + "," + width + "] array, was " + out.dataType() + " " + Arrays.toString(out.shape()));
        }
        float[] buf = staging != null && staging.length >= n * sz ? staging : new float[n * sz];
        for (int j = 0; j < n; j++) {
            int base = positions[j] * sz;
            int o = j * sz;
            for (int k = 0; k < sz; k++) {
                buf[o + k] = (pixels[base + k] & 0xFF) * (2f / 255f) - 1f;
            }
        }
        FloatBuffer fb = out.data().asNioFloat();
        fb.put(buf, 0, n * sz);
    }

    /** Hex SHA-256 over shape, labels, ids and pixels: identifies this exact set in provenance records. */
    public String contentHash() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((channels + "x" + height + "x" + width + "/" + numClasses + "/" + size()).getBytes(
                    java.nio.charset.StandardCharsets.UTF_8));
            byte[] four = new byte[4];
            for (int i = 0; i < size(); i++) {
                putInt(four, labels[i]);
                md.update(four);
                putInt(four, ids[i]);
                md.update(four);
            }
            md.update(pixels);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    private static void putInt(byte[] b, int v) {
        b[0] = (byte) (v >>> 24);
        b[1] = (byte) (v >>> 16);
        b[2] = (byte) (v >>> 8);
        b[3] = (byte) v;
    }

    @Override
    public String toString() {
        return name + "[" + size() + " images " + channels + "x" + height + "x" + width + ", " + numClasses + " classes]";
    }
}
