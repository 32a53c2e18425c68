package org.erasediff.eval.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Images without content — black, grey, white, uniform noise, sparse bright speckles on black —
 * in the model's {@code [-1, 1]} pixel range. A classifier's mean entropy on them tells how far
 * the forgetting entropy H can rise when a diffusion model draws such images for an erased class:
 * H reaches its maximum ln C only if the classifier is maximally unsure about content-free input,
 * which over-confident classifiers are not.
 */
public final class ContentFreeProbes {

    /** Images per probe in the project's reports ({@code classifier-eval}, provenance, evaluation reports). */
    public static final int STANDARD_COUNT = 256;
    /** Seed of the random probes in the project's reports. */
    public static final long STANDARD_SEED = 1;

    private ContentFreeProbes() {
    }

    /**
     * A classifier's mean entropy (nats) on each probe: how high the forgetting entropy H it
     * reports can go for content-free samples.
     *
     * @param probabilities the classifier: images {@code [N, C, H, W]} in [−1, 1] → class probabilities {@code [N, K]}
     * @param n             images per probe (&gt; 0)
     * @param shape         {@code [C, H, W]}
     * @param seed          seed of the random probes
     * @return probe name ({@link #create} order) → mean entropy
     */
    public static Map<String, Double> meanEntropies(java.util.function.Function<INDArray, INDArray> probabilities,
                                                    int n, long[] shape, long seed) {
        Map<String, Double> out = new LinkedHashMap<>();
        create(n, shape, seed).forEach((name, images) ->
                out.put(name, ClassifierMetrics.forgetting(probabilities.apply(images), 0).meanEntropy()));
        return out;
    }

    /**
     * A classifier's mean probability of each class on each probe: the probability a judge gives the
     * forgotten class when a model draws content-free images for it (for a forgotten class
     * {@code c}, the floor that {@code p_forget} settles at for such samples is about the value at
     * index {@code c}).
     *
     * @param probabilities the classifier: images {@code [N, C, H, W]} in [−1, 1] → class probabilities {@code [N, K]}
     * @param n             images per probe (&gt; 0)
     * @param shape         {@code [C, H, W]}
     * @param seed          seed of the random probes
     * @return probe name ({@link #create} order) → mean probability of each class, {@code K} values
     */
    public static Map<String, double[]> meanProbabilities(
            java.util.function.Function<INDArray, INDArray> probabilities, int n, long[] shape, long seed) {
        Map<String, double[]> out = new LinkedHashMap<>();
        create(n, shape, seed).forEach((name, images) ->
                out.put(name, probabilities.apply(images).mean(0).toDoubleVector()));
        return out;
    }

    /** {@link #meanProbabilities} with the project's standard {@value #STANDARD_COUNT} images per probe and seed. */
    public static Map<String, double[]> meanProbabilities(
            java.util.function.Function<INDArray, INDArray> probabilities, long[] shape) {
        return meanProbabilities(probabilities, STANDARD_COUNT, shape, STANDARD_SEED);
    }

    /** {@link #meanEntropies} with the project's standard {@value #STANDARD_COUNT} images per probe and seed. */
    public static Map<String, Double> meanEntropies(java.util.function.Function<INDArray, INDArray> probabilities,
                                                    long[] shape) {
        return meanEntropies(probabilities, STANDARD_COUNT, shape, STANDARD_SEED);
    }

    /**
     * The probe batches, by name: {@code black}, {@code grey}, {@code white}, {@code uniform_noise},
     * {@code speckles_10pct} (10 % of pixels white on black).
     *
     * @param n     images per probe (&gt; 0)
     * @param shape {@code [C, H, W]}
     * @param seed  seed of the random probes
     */
    public static Map<String, INDArray> create(int n, long[] shape, long seed) {
        if (n <= 0 || shape.length != 3 || Arrays.stream(shape).anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException("need n > 0 and a [C, H, W] shape of positive sizes, got n = " + n
                    + ", shape " + Arrays.toString(shape));
        }
        long[] full = {n, shape[0], shape[1], shape[2]};
        int len = (int) (n * shape[0] * shape[1] * shape[2]);
        SplittableRandom r = new SplittableRandom(seed);
        float[] noise = new float[len];
        float[] speckles = new float[len];
        for (int i = 0; i < len; i++) {
            noise[i] = (float) (2 * r.nextDouble() - 1);
            speckles[i] = r.nextDouble() < 0.1 ? 1f : -1f;
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put("black", Nd4j.valueArrayOf(full, -1f, DataType.FLOAT));
        out.put("grey", Nd4j.zeros(DataType.FLOAT, full));
        out.put("white", Nd4j.valueArrayOf(full, 1f, DataType.FLOAT));
        out.put("uniform_noise", Nd4j.createFromArray(noise).reshape(full));
        out.put("speckles_10pct", Nd4j.createFromArray(speckles).reshape(full));
        return out;
    }
}
