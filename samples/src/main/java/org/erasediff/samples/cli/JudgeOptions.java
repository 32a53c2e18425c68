package org.erasediff.samples.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.erasediff.eval.classifier.SameDiffClassifier;
import org.erasediff.samples.ShippedAssets;
import picocli.CommandLine.Option;

/** The user's own judge: a SameDiff classifier file with its input, probability and feature variables. */
final class JudgeOptions {

    /** Images per forward pass of the judge. */
    private static final int CHUNK = 100;

    @Option(names = "--judge", paramLabel = "FILE", description = "Evaluation classifier for your data (a SameDiff "
            + "FlatBuffers file) judging the generated images: images in [-1, 1] as [B, C, H, W], class probabilities, "
            + "and features for FID/KID. Default: the shipped MNIST judges ψ and ψ_SA (MNIST-shaped data only).")
    Path file;

    @Option(names = "--judge-input", paramLabel = "NAME", description = "The judge's image placeholder.")
    String input;

    @Option(names = "--judge-probs", paramLabel = "NAME", description = "The judge's class-probability variable "
            + "([B, classes], rows summing to 1).")
    String probs;

    @Option(names = "--judge-features", paramLabel = "NAME", description = "The judge's feature variable "
            + "(e.g. its penultimate layer).")
    String features;

    /** Whether a judge was named. */
    boolean given() {
        return file != null;
    }

    /**
     * Loads the judge and checks its names against the graph.
     *
     * @throws IllegalArgumentException naming a missing option or a name not in the graph
     */
    SameDiffClassifier load() throws IOException {
        if (input == null || probs == null || features == null) {
            throw new IllegalArgumentException("--judge needs --judge-input, --judge-probs and --judge-features");
        }
        try {
            return new SameDiffClassifier(ShippedAssets.model(file, null), input, probs, features, CHUNK);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--judge " + file + ": " + e.getMessage(), e);
        }
    }

    /** Checks that no judge name is given without the judge. */
    void validate() {
        if (file == null && (input != null || probs != null || features != null)) {
            throw new IllegalArgumentException("--judge-input, --judge-probs and --judge-features need --judge FILE");
        }
    }
}
