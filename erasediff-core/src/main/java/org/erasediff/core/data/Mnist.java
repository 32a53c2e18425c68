package org.erasediff.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads the MNIST data set (Yann LeCun, Corinna Cortes, Christopher J. C. Burges; CC BY-SA 3.0)
 * from its four idx files and checks it is exactly the published data: SHA-256 of each
 * uncompressed file, 28×28 images, 60,000 training and 10,000 test images, labels 0–9.
 * Sample ids are the indices in the files.
 */
public final class Mnist {

    /** Image side length. */
    public static final int SIZE = 28;
    /** Number of classes (digits). */
    public static final int CLASSES = 10;

    /** The two published splits, with their file names, counts and checksums. */
    public enum Split {
        /** The 60,000 training images. */
        TRAIN("train-images-idx3-ubyte", "train-labels-idx1-ubyte", 60_000,
                "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
        /** The 10,000 test images. */
        TEST("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 10_000,
                "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

        private final String imagesFile;
        private final String labelsFile;
        private final int count;
        private final String imagesSha256;
        private final String labelsSha256;

        Split(String imagesFile, String labelsFile, int count, String imagesSha256, String labelsSha256) {
            this.imagesFile = imagesFile;
            this.labelsFile = labelsFile;
            this.count = count;
            this.imagesSha256 = imagesSha256;
            this.labelsSha256 = labelsSha256;
        }

        /** File name of the (uncompressed) image file. */
        public String imagesFile() {
            return imagesFile;
        }

        /** File name of the (uncompressed) label file. */
        public String labelsFile() {
            return labelsFile;
        }

        /** Number of images. */
        public int count() {
            return count;
        }

        /** SHA-256 of the uncompressed image file. */
        public String imagesSha256() {
            return imagesSha256;
        }

        /** SHA-256 of the uncompressed label file. */
        public String labelsSha256() {
            return labelsSha256;
        }
    }

    private Mnist() {
    }

    /**
     * Reads and checks one split (plain or gzipped streams).
     *
     * @param split  which split the streams hold
     * @param images the image idx stream (closed here)
     * @param labels the label idx stream (closed here)
     * @throws DataFormatException if a file is truncated, corrupt or not the published one
     * @throws IOException         if reading fails
     */
    public static LabelledImages read(Split split, InputStream images, InputStream labels) throws IOException {
        IdxArray img = IdxReader.read(images, split.imagesFile(), split.imagesSha256());
        IdxArray lab = IdxReader.read(labels, split.labelsFile(), split.labelsSha256());
        int[] expected = {split.count(), SIZE, SIZE};
        if (!Arrays.equals(img.dims(), expected)) {
            throw new DataFormatException(split.imagesFile() + ": dimensions " + Arrays.toString(img.dims())
                    + ", expected " + Arrays.toString(expected));
        }
        if (lab.dims().length != 1 || lab.count() != split.count()) {
            throw new DataFormatException(split.labelsFile() + ": dimensions " + Arrays.toString(lab.dims())
                    + ", expected [" + split.count() + "]");
        }
        return LabelledImages.fromIdx("mnist-" + split.name().toLowerCase(java.util.Locale.ROOT), img, lab, CLASSES);
    }
}
