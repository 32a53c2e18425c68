package org.erasediff.dl4j.unlearn;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.optim.GradientVectors;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.core.util.RngPurpose;
import org.erasediff.core.util.RngStreams;
import org.erasediff.dl4j.engine.GradientEngine;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Selective Amnesia's diagonal Fisher information at the engine's current parameters: the mean
 * over images of the squared per-image gradient of the denoising loss summed over pixels and over
 * timesteps. The sum over all T timesteps is estimated from K stratified ones — t_k uniform in
 * [kT/K, (k+1)T/K) — as (T/K)·Σ_k ∇ℓ(x, t_k), computed as one weighted batch of the image
 * repeated K times.
 */
final class FisherDiagonal {

    private final GradientEngine engine;
    private final LabelledImages images;
    private final NoiseSchedule schedule;
    private final RngStreams rng;
    private final int k;
    final INDArray x0;
    final INDArray noise;
    final INDArray xt;
    final int[] timesteps;
    final int[] labels;
    private final INDArray weights;
    private final float[] staging;
    private final Random noiseRng;

    FisherDiagonal(GradientEngine engine, LabelledImages images, NoiseSchedule schedule, RngStreams rng, int k) {
        this.engine = engine;
        this.images = images;
        this.schedule = schedule;
        this.rng = rng;
        this.k = k;
        x0 = Nd4j.create(DataType.FLOAT, k, images.channels(), images.height(), images.width());
        noise = x0.ulike();
        xt = x0.ulike();
        timesteps = new int[k];
        labels = new int[k];
        staging = new float[k * images.imageSize()];
        weights = Nd4j.valueArrayOf(new long[] {k}, (float) sumScale(), DataType.FLOAT);
        noiseRng = Nd4j.getRandomFactory().getNewRandomInstance(rng.runSeed());
    }

    /** The weight of each row: pixels per image (a sum, not a mean, over pixels) times T/K. */
    double sumScale() {
        return (double) images.imageSize() * schedule.numTimesteps() / k;
    }

    /** Fills the batch of image {@code i}: the image K times, stratified timesteps, Gaussian noise. */
    void fillBatch(int i) {
        int[] same = new int[k];
        Arrays.fill(same, i);
        images.copyScaled(same, x0, staging);
        int numT = schedule.numTimesteps();
        SplittableRandom r = new SplittableRandom(rng.seed(RngPurpose.TIMESTEPS, i, 1));
        for (int j = 0; j < k; j++) {
            int from = (int) ((long) j * numT / k);
            int to = (int) ((long) (j + 1) * numT / k);
            timesteps[j] = from + r.nextInt(Math.max(1, to - from));
            labels[j] = images.label(i);
        }
        noiseRng.setSeed(rng.seed(RngPurpose.NOISE, i, 1));
        Nd4j.getExecutioner().exec(new GaussianDistribution(noise, 0.0, 1.0), noiseRng);
        schedule.addNoise(x0, noise, timesteps, xt);
    }

    /**
     * The Fisher diagonal over the first {@code samples} images.
     *
     * @return new arrays paired with the engine's parameters
     */
    List<INDArray> estimate(int samples) {
        List<INDArray> f = GradientVectors.allocateLike(engine.parameters());
        GradientVectors.scaleInPlace(f, 0.0);
        int n = Math.min(samples, images.size());
        for (int i = 0; i < n; i++) {
            fillBatch(i);
            engine.computeGradients(xt, timesteps, labels, noise, weights);
            for (int p = 0; p < f.size(); p++) {
                INDArray g = engine.gradients().get(p);
                f.get(p).addi(g.mul(g).divi(n));
            }
        }
        return f;
    }
}
