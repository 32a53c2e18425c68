package org.erasediff.core.data;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * Reads labelled images from DL4J iterators ({@link DataSetIterator}, {@link MultiDataSetIterator})
 * into {@link LabelledImages}, so forget and remain data can come from the pipelines a DL4J user
 * already has. Each batch must hold NCHW features {@code [N, C, H, W]} (C = 1 or 3, the same
 * shape in every batch) with values in the given {@link PixelRange}, and labels either one-hot
 * {@code [N, numClasses]} or class indices {@code [N]} / {@code [N, 1]}. Iterators that support
 * it are reset first (their pre-processor applies as usual); all batches are read.
 *
 * <p>Pixels are stored as 8-bit values, as for every other source: features are rounded to the
 * nearest of 256 levels. Sample ids number the images in iteration order, so a deletion request
 * can name them ({@link ForgetRemainSplit#bySampleIds}).
 */
public final class IteratorImages {

    /** Slack on the range check, as a fraction of the range (rounding in the user's scaling). */
    private static final double RANGE_SLACK = 1e-4;

    private final int numClasses;
    private final PixelRange range;

    /**
     * @param numClasses the number of classes (the width of one-hot labels)
     * @param range      the range of the features' values
     */
    public IteratorImages(int numClasses, PixelRange range) {
        if (numClasses <= 0) {
            throw new IllegalArgumentException("numClasses must be > 0, was " + numClasses);
        }
        this.numClasses = numClasses;
        this.range = Objects.requireNonNull(range, "range");
    }

    /**
     * Reads every batch of a {@link DataSetIterator}.
     *
     * @param name a description for messages and provenance
     * @param data the iterator
     * @return the images, with ids 0..N−1 in iteration order
     * @throws IllegalArgumentException if a batch does not have the expected shapes or values
     */
    public LabelledImages read(String name, DataSetIterator data) {
        return read(name, data, 0);
    }

    /**
     * Reads every batch of a {@link MultiDataSetIterator}, taking one feature and one label array.
     *
     * @param name         a description for messages and provenance
     * @param data         the iterator
     * @param featureIndex which features array holds the images
     * @param labelIndex   which labels array holds the classes
     * @return the images, with ids 0..N−1 in iteration order
     * @throws IllegalArgumentException if a batch does not have the expected arrays, shapes or values
     */
    public LabelledImages read(String name, MultiDataSetIterator data, int featureIndex, int labelIndex) {
        if (data.resetSupported()) {
            data.reset();
        }
        Collector c = new Collector(name, 0);
        while (data.hasNext()) {
            MultiDataSet batch = data.next();
            c.add(pick(name, batch.getFeatures(), featureIndex, "features", c.batches),
                    pick(name, batch.getLabels(), labelIndex, "labels", c.batches));
        }
        return c.build();
    }

    /**
     * A deletion request from two iterators: the images to forget and the images to keep. Sample
     * ids number the forget images first, then the remain images.
     *
     * @param forget the data to forget
     * @param remain the data to keep
     * @return the split, described as "DL4J iterators"
     */
    public ForgetRemainSplit split(DataSetIterator forget, DataSetIterator remain) {
        LabelledImages f = read("forget", forget, 0);
        LabelledImages r = read("remain", remain, f.size());
        return new ForgetRemainSplit(f, r, "DL4J iterators: " + f.size() + " images to forget, " + r.size()
                + " to keep");
    }

    private LabelledImages read(String name, DataSetIterator data, int firstId) {
        if (data.resetSupported()) {
            data.reset();
        }
        Collector c = new Collector(name, firstId);
        while (data.hasNext()) {
            DataSet batch = data.next();
            c.add(batch.getFeatures(), batch.getLabels());
        }
        return c.build();
    }

    private static INDArray pick(String name, INDArray[] arrays, int index, String what, int batch) {
        int n = arrays == null ? 0 : arrays.length;
        if (index < 0 || index >= n) {
            throw new IllegalArgumentException(name + ": batch " + batch + " has " + n + " " + what
                    + " array(s), no index " + index);
        }
        return arrays[index];
    }

    /** Accumulates batches, checking each against the first. */
    private final class Collector {
        private final String name;
        private final int firstId;
        private final ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        private int[] labels = new int[64];
        private int count;
        private int batches;
        private long[] chw;

        Collector(String name, int firstId) {
            this.name = Objects.requireNonNull(name, "name");
            this.firstId = firstId;
        }

        void add(INDArray features, INDArray labelArray) {
            String where = name + ": batch " + batches;
            if (features == null || features.rank() != 4) {
                throw new IllegalArgumentException(where + ": features must be NCHW images [N, C, H, W], found "
                        + (features == null ? "none" : Arrays.toString(features.shape()))
                        + (features != null && features.rank() == 2
                        ? " (flattened rows: reshape them to NCHW, e.g. with a DataSetPreProcessor)" : ""));
            }
            long[] s = features.shape();
            long[] shape = {s[1], s[2], s[3]};
            if (chw == null) {
                if (shape[0] != 1 && shape[0] != 3) {
                    throw new IllegalArgumentException(where + ": images must have 1 or 3 channels (NCHW), found "
                            + Arrays.toString(s));
                }
                chw = shape;
            } else if (!Arrays.equals(chw, shape)) {
                throw new IllegalArgumentException(where + ": images are " + dims(shape) + " but earlier batches' are "
                        + dims(chw));
            }
            int n = (int) s[0];
            int[] batchLabels = labels(where, labelArray, n);
            float[] v = features.castTo(DataType.FLOAT).dup('c').data().asFloat();
            byte[] px = new byte[v.length];
            double span = range.high() - range.low();
            for (int k = 0; k < v.length; k++) {
                double u = (v[k] - range.low()) / span;
                if (!(u >= -RANGE_SLACK && u <= 1 + RANGE_SLACK)) {
                    throw new IllegalArgumentException(where + ": feature value " + v[k] + " of image "
                            + (k / (v.length / n)) + " is outside " + range + ": scale images to that range");
                }
                px[k] = (byte) Math.round(Math.min(1, Math.max(0, u)) * 255);
            }
            pixels.write(px, 0, px.length);
            if (count + n > labels.length) {
                labels = Arrays.copyOf(labels, Math.max(2 * labels.length, count + n));
            }
            System.arraycopy(batchLabels, 0, labels, count, n);
            count += n;
            batches++;
        }

        private int[] labels(String where, INDArray l, int n) {
            if (l == null) {
                throw new IllegalArgumentException(where + ": has no labels");
            }
            long cols = l.rank() == 1 ? 1 : l.rank() == 2 ? l.size(1) : -1;
            if (cols < 0 || l.size(0) != n) {
                throw new IllegalArgumentException(where + ": labels must be [" + n + ", " + numClasses + "] one-hot or ["
                        + n + "] class indices for " + n + " images, found " + Arrays.toString(l.shape()));
            }
            double[] v = l.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            int[] out = new int[n];
            if (cols == 1 && numClasses > 1) {
                for (int i = 0; i < n; i++) {
                    if (v[i] != Math.rint(v[i]) || v[i] < 0 || v[i] >= numClasses) {
                        throw new IllegalArgumentException(where + ": label of image " + i + " is " + v[i]
                                + ", expected a class index 0.." + (numClasses - 1));
                    }
                    out[i] = (int) v[i];
                }
                return out;
            }
            if (cols != numClasses) {
                throw new IllegalArgumentException(where + ": labels have " + cols + " columns, expected " + numClasses
                        + " (one-hot) or 1 (class index)");
            }
            for (int i = 0; i < n; i++) {
                int hot = -1;
                for (int c = 0; c < cols; c++) {
                    double x = v[i * (int) cols + c];
                    if (x == 1 && hot < 0) {
                        hot = c;
                    } else if (x != 0) {
                        hot = -2;
                        break;
                    }
                }
                if (hot < 0) {
                    throw new IllegalArgumentException(where + ": label row of image " + i + " is not one-hot: "
                            + Arrays.toString(Arrays.copyOfRange(v, i * (int) cols, (i + 1) * (int) cols)));
                }
                out[i] = hot;
            }
            return out;
        }

        LabelledImages build() {
            if (count == 0) {
                throw new IllegalArgumentException(name + ": the iterator gave no images");
            }
            int[] ids = IntStream.range(firstId, firstId + count).toArray();
            return new LabelledImages(name, (int) chw[0], (int) chw[1], (int) chw[2], numClasses, pixels.toByteArray(),
                    Arrays.copyOf(labels, count), ids);
        }

        private static String dims(long[] chw) {
            return chw[0] + "x" + chw[1] + "x" + chw[2];
        }
    }
}
