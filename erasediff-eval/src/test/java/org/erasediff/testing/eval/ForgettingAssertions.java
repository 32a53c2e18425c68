package org.erasediff.testing.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.eval.classifier.SameDiffClassifier;
import org.erasediff.eval.generate.SampleGenerator;
import org.erasediff.eval.metrics.ClassifierMetrics;
import org.erasediff.eval.metrics.ForgettingMetrics;

/**
 * Assertions on what a model generates, as seen by a judge: sample images of one class with a
 * fixed seed (DDIM, no guidance), classify them, and compare the share the judge assigns to that
 * class with a bound. Failures throw {@link AssertionError} with the measured share.
 *
 * <pre>{@code
 * ForgettingAssertions check = new ForgettingAssertions(judge, schedule);
 * check.assertRecognised(model, 0, 0.9);   // before unlearning
 * check.assertForgotten(unlearned, 0, 0.1); // after
 * }</pre>
 */
public final class ForgettingAssertions {

    private final SameDiffClassifier judge;
    private final NoiseSchedule schedule;
    private final int samples;
    private final SamplerConfig sampler;
    private final long seed;

    /**
     * 32 samples per check, 20 DDIM steps, seed 0.
     *
     * @param judge    the classifier that decides which class an image shows
     * @param schedule the models' noise schedule
     */
    public ForgettingAssertions(SameDiffClassifier judge, NoiseSchedule schedule) {
        this(judge, schedule, 32, SamplerConfig.builder(20).optGuidanceScale(0).build(), 0);
    }

    /**
     * @param judge    the classifier that decides which class an image shows
     * @param schedule the models' noise schedule
     * @param samples  images generated per check (&gt; 0)
     * @param sampler  sampler settings
     * @param seed     seed of the starting noise
     */
    public ForgettingAssertions(SameDiffClassifier judge, NoiseSchedule schedule, int samples, SamplerConfig sampler,
                                long seed) {
        if (samples <= 0) {
            throw new IllegalArgumentException("samples must be > 0, was " + samples);
        }
        this.judge = judge;
        this.schedule = schedule;
        this.samples = samples;
        this.sampler = sampler;
        this.seed = seed;
    }

    /**
     * The judge's view of images generated for {@code label}.
     *
     * @param model the model
     * @param label the class to generate and measure
     * @return the forgetting metrics of the judge on those images ({@code argmaxRate()} is the share)
     */
    public ForgettingMetrics measure(DiffusionGraph model, int label) {
        int[] labels = new int[samples];
        java.util.Arrays.fill(labels, label);
        try {
            var images = new SampleGenerator(schedule, sampler, samples, null)
                    .generate(model, "fixture", model.imageShape(), labels, seed);
            return ClassifierMetrics.forgetting(judge.classify(images).probabilities(), label);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asserts that at most {@code maxShare} of the images generated for {@code label} are judged
     * to show it.
     *
     * @param model    the (unlearned) model
     * @param label    the forgotten class
     * @param maxShare the largest share accepted, in [0, 1]
     * @return the metrics measured
     * @throws AssertionError if the share is larger
     */
    public ForgettingMetrics assertForgotten(DiffusionGraph model, int label, double maxShare) {
        ForgettingMetrics m = measure(model, label);
        if (m.argmaxRate() > maxShare) {
            throw new AssertionError(describe(label, m) + ": class " + label + " is not forgotten (at most "
                    + maxShare + " expected)");
        }
        return m;
    }

    /**
     * Asserts that at least {@code minShare} of the images generated for {@code label} are judged
     * to show it.
     *
     * @param model    the model
     * @param label    the class that must still be generated
     * @param minShare the smallest share accepted, in [0, 1]
     * @return the metrics measured
     * @throws AssertionError if the share is smaller
     */
    public ForgettingMetrics assertRecognised(DiffusionGraph model, int label, double minShare) {
        ForgettingMetrics m = measure(model, label);
        if (m.argmaxRate() < minShare) {
            throw new AssertionError(describe(label, m) + ": class " + label + " is not generated (at least "
                    + minShare + " expected)");
        }
        return m;
    }

    private static String describe(int label, ForgettingMetrics m) {
        return String.format(Locale.ROOT, "the judge sees class %d in %.3f of %d images generated for it "
                + "(mean probability %.3f)", label, m.argmaxRate(), m.count(), m.meanTargetProbability());
    }
}
