package org.erasediff.samples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.data.Mnist;
import org.erasediff.dl4j.checkpoint.GraphFiles;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The data and models that ship inside the samples jar: MNIST (checked against its published
 * checksums on every load) and the trained models under {@code org/erasediff/samples/models/}.
 */
public final class ShippedAssets {

    private static final String MNIST = "/org/erasediff/samples/mnist/";
    /** Classpath folder of the shipped models. */
    public static final String MODELS = "/org/erasediff/samples/models/";
    /** File name of the shipped evaluation classifier. */
    public static final String CLASSIFIER = "mnist-classifier.fb";

    private ShippedAssets() {
    }

    /** Loads one MNIST split from the embedded, gzipped idx files. */
    public static LabelledImages mnist(Mnist.Split split) {
        try {
            return Mnist.read(split, open(MNIST + split.imagesFile() + ".gz"), open(MNIST + split.labelsFile() + ".gz"));
        } catch (IOException e) {
            throw new UncheckedIOException("embedded MNIST " + split + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Loads a SameDiff model: from {@code file} if given, otherwise the shipped model {@code shippedName}.
     *
     * @throws IOException if the file is missing or corrupt
     */
    public static SameDiff model(Path file, String shippedName) throws IOException {
        if (file != null) {
            return GraphFiles.load(file, false);
        }
        try (InputStream in = open(MODELS + shippedName)) {
            return GraphFiles.load(in, "shipped model " + shippedName, false);
        }
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = ShippedAssets.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("resource " + resource + " is missing from the classpath (broken build?)");
        }
        return in;
    }
}
