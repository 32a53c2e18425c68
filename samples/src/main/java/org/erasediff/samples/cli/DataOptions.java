package org.erasediff.samples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.erasediff.core.data.IdxReader;
import org.erasediff.core.data.ImageFolderReader;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.data.Mnist;
import org.erasediff.samples.ShippedAssets;
import picocli.CommandLine.Option;

/**
 * The images a command works on (the training data to unlearn from, or the real images an
 * evaluation compares with): the shipped MNIST set, the user's image folder (one sub-folder per
 * class) or a pair of idx files.
 */
final class DataOptions {

    @Option(names = "--data", paramLabel = "DIR", description = "Your images (unlearn: the training data; eval: the "
            + "real images to compare with): a folder with one sub-folder of PNG/JPEG images per class (sorted "
            + "sub-folder names give the class indices), converted to the model's channels (grayscale or RGB) and "
            + "resized to its image size. Default: the shipped MNIST training set (eval: test set).")
    Path folder;

    @Option(names = "--data-images", paramLabel = "FILE", description = "Your images as an idx file "
            + "([N, H, W] or [N, C, H, W] unsigned bytes, optionally .gz), with --data-labels.")
    Path idxImages;

    @Option(names = "--data-labels", paramLabel = "FILE", description = "Labels of --data-images as an idx file "
            + "([N] unsigned bytes, optionally .gz).")
    Path idxLabels;

    /**
     * Loaded data.
     *
     * @param images     the images (sample ids: MNIST and idx: index in the file; folders: position in
     *                   (class, file name) order)
     * @param classNames class names in index order
     * @param files      each image's file for a folder (by sample id), else empty
     * @param root       the folder, or {@code null}
     */
    record Dataset(LabelledImages images, List<String> classNames, List<Path> files, Path root) {
    }

    /** The options as if given on the command line ({@code null}: not given). */
    static DataOptions of(Path folder, Path idxImages, Path idxLabels) {
        DataOptions d = new DataOptions();
        d.folder = folder;
        d.idxImages = idxImages;
        d.idxLabels = idxLabels;
        return d;
    }

    /** Whether the data is the shipped MNIST set (no data option given). */
    boolean shipped() {
        return folder == null && idxImages == null && idxLabels == null;
    }

    /**
     * Loads the data at the model's image shape.
     *
     * @param chw the model's {@code [C, H, W]}
     * @throws IllegalArgumentException if the options conflict or the data does not fit the model
     */
    Dataset load(long[] chw) throws IOException {
        if (folder != null && (idxImages != null || idxLabels != null)) {
            throw new IllegalArgumentException("give either --data or --data-images with --data-labels, not both");
        }
        if ((idxImages == null) != (idxLabels == null)) {
            throw new IllegalArgumentException("--data-images and --data-labels go together");
        }
        if (folder != null) {
            ImageFolderReader.Result r = new ImageFolderReader((int) chw[0], (int) chw[1], (int) chw[2]).read(folder);
            return new Dataset(r.images(), r.classNames(), r.files(), folder);
        }
        if (shipped()) {
            return indexed(requireShape(ShippedAssets.mnist(Mnist.Split.TRAIN), chw));
        }
        var images = readIdx(idxImages);
        var labels = readIdx(idxLabels);
        int classes = 1 + IntStream.range(0, labels.count()).map(i -> labels.data()[i] & 0xFF).max().orElse(0);
        LabelledImages d;
        try {
            d = LabelledImages.fromIdx(idxImages.getFileName().toString(), images, labels, classes);
        } catch (IllegalArgumentException e) {
            // the two files disagree (or one has the wrong rank): name both
            throw new IllegalArgumentException(idxImages + " with " + idxLabels + ": " + e.getMessage(), e);
        }
        return indexed(requireShape(d, chw));
    }

    /**
     * The real images an evaluation compares with: the data given, or the shipped MNIST test set.
     *
     * @param chw the model's {@code [C, H, W]}
     */
    Dataset loadReference(long[] chw) throws IOException {
        return shipped() ? indexed(requireShape(ShippedAssets.mnist(Mnist.Split.TEST), chw)) : load(chw);
    }

    private LabelledImages requireShape(LabelledImages d, long[] chw) {
        long[] shape = {d.channels(), d.height(), d.width()};
        if (!Arrays.equals(shape, chw)) {
            throw new IllegalArgumentException("the data (" + d.name() + ") has " + Arrays.toString(shape)
                    + " images but the model takes " + Arrays.toString(chw)
                    + (shipped() ? ": give your data with --data DIR" : ""));
        }
        return d;
    }

    private static Dataset indexed(LabelledImages d) {
        return new Dataset(d, IntStream.range(0, d.numClasses()).mapToObj(String::valueOf).toList(), List.of(), null);
    }

    private static org.erasediff.core.data.IdxArray readIdx(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            return IdxReader.read(in, file.toString());
        }
    }
}
