package org.erasediff.samples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.data.Mnist;
import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.eval.classifier.SameDiffClassifier;
import org.erasediff.eval.generate.ModelEvaluator;
import org.erasediff.eval.generate.SampleGenerator;
import org.erasediff.eval.metrics.KidConfig;
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

    /** The options as if given on the command line ({@code null}: not given). */
    static JudgeOptions of(Path file, String input, String probs, String features) {
        JudgeOptions j = new JudgeOptions();
        j.file = file;
        j.input = input;
        j.probs = probs;
        j.features = features;
        return j;
    }

    /** Whether a judge was named. */
    boolean given() {
        return file != null;
    }

    /**
     * Loads the judge and checks its names against the graph.
     *
     * @throws IllegalArgumentException naming a missing option or a name not in the graph
     */
    private SameDiffClassifier load() throws IOException {
        if (input == null || probs == null || features == null) {
            throw new IllegalArgumentException("--judge needs --judge-input, --judge-probs and --judge-features");
        }
        try {
            return new SameDiffClassifier(ShippedAssets.model(file, null), input, probs, features, CHUNK);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--judge " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The evaluator of a run: the shipped MNIST judges against the MNIST test set, or this judge
     * against the user's images.
     *
     * @param schedule  the model's noise schedule
     * @param sampler   the evaluation sampler
     * @param kidSubset KID subset size (capped at 1,000)
     * @param cache     sample cache folder
     * @param data      the data: its shape and classes, and the real reference for a user's judge
     * @throws IllegalArgumentException if the data needs a judge of its own or the judge is incomplete
     */
    ModelEvaluator evaluator(ScheduleConfig schedule, SamplerConfig sampler, int kidSubset, Path cache,
                             LabelledImages data) throws IOException {
        if (!given()) {
            if (data.channels() != 1 || data.height() != Mnist.SIZE || data.width() != Mnist.SIZE
                    || data.numClasses() > Mnist.CLASSES) {
                throw new IllegalArgumentException("the shipped judges classify MNIST digits (1x28x28, 10 classes), "
                        + "the data has " + data.channels() + "x" + data.height() + "x" + data.width()
                        + " images in " + data.numClasses() + " classes: name your classifier with --judge, or give "
                        + "--no-eval");
            }
            return MnistEvaluators.create(schedule, sampler, kidSubset, cache);
        }
        SampleGenerator generator = new SampleGenerator(NoiseSchedule.create(schedule), sampler, CHUNK, cache);
        return new ModelEvaluator(load(), List.of(), generator, data,
                KidConfig.builder().optSubsetSize(Math.max(2, Math.min(1000, kidSubset))).optNumSubsets(50).build());
    }

    /** Checks that no judge name is given without the judge. */
    void validate() {
        if (file == null && (input != null || probs != null || features != null)) {
            throw new IllegalArgumentException("--judge-input, --judge-probs and --judge-features need --judge FILE");
        }
    }
}
