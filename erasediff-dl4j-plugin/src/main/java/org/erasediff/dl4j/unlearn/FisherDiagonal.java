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
 * timesteps. With K = T (the default of Selective Amnesia's recipe here) the sum runs over every
 * timestep exactly, as the authors' Fisher code does; with K &lt; T it is estimated from K
 * stratified ones — t_k uniform in [kT/K, (k+1)T/K) — as (T/K)·Σ_k ∇ℓ(x, t_k), whose square is
 * biased upwards by the estimate's variance. The K rows of an image are processed in chunks of
 * at most {@code chunk} rows and their gradients summed before squaring.
 */
final class FisherDiagonal {

    private final GradientEngine engine;
    private final LabelledImages images;
    private final NoiseSchedule schedule;
    private final RngStreams rng;
    private final int k;
    private final int chunk;
    final INDArray x0;
    final INDArray noise;
    final INDArray xt;
    final int[] timesteps;
    final int[] labels;
    private final INDArray weights;
    private final float[] staging;
    private final Random noiseRng;

    /**
     * @param k     timesteps per image (T for the exact sum)
     * @param chunk rows per gradient pass; must divide {@code k}
     */
    FisherDiagonal(GradientEngine engine, LabelledImages images, NoiseSchedule schedule, RngStreams rng, int k,
                   int chunk) {
        if (k % chunk != 0) {
            throw new IllegalArgumentException("chunk " + chunk + " must divide the " + k + " timesteps per image");
        }
        this.engine = engine;
        this.images = images;
        this.schedule = schedule;
        this.rng = rng;
        this.k = k;
        this.chunk = chunk;
        x0 = Nd4j.create(DataType.FLOAT, chunk, images.channels(), images.height(), images.width());
        noise = x0.ulike();
        xt = x0.ulike();
        timesteps = new int[chunk];
        labels = new int[chunk];
        staging = new float[chunk * images.imageSize()];
        weights = Nd4j.valueArrayOf(new long[] {chunk}, (float) sumScale(), DataType.FLOAT);
        noiseRng = Nd4j.getRandomFactory().getNewRandomInstance(rng.runSeed());
    }

    /** The weight of each row: pixels per image (a sum, not a mean, over pixels) times T/K. */
    double sumScale() {
        return (double) images.imageSize() * schedule.numTimesteps() / k;
    }

    /** Fills chunk {@code c} of image {@code i}: the image, its timesteps (strata c·chunk onwards), Gaussian noise. */
    void fillChunk(int i, int c) {
        int[] same = new int[chunk];
        Arrays.fill(same, i);
        images.copyScaled(same, x0, staging);
        int numT = schedule.numTimesteps();
        SplittableRandom r = new SplittableRandom(rng.seed(RngPurpose.TIMESTEPS, i, 1 + c));
        for (int row = 0; row < chunk; row++) {
            int j = c * chunk + row;
            int from = (int) ((long) j * numT / k);
            int to = (int) ((long) (j + 1) * numT / k);
            timesteps[row] = from + r.nextInt(Math.max(1, to - from));
            labels[row] = images.label(i);
        }
        noiseRng.setSeed(rng.seed(RngPurpose.NOISE, i, 1 + c));
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
        List<INDArray> sum = GradientVectors.allocateLike(engine.parameters());
        int n = Math.min(samples, images.size());
        for (int i = 0; i < n; i++) {
            GradientVectors.scaleInPlace(sum, 0.0);
            for (int c = 0; c < k / chunk; c++) {
                fillChunk(i, c);
                engine.computeGradients(xt, timesteps, labels, noise, weights);
                GradientVectors.addScaledInPlace(sum, 1.0, engine.gradients());
            }
            for (int p = 0; p < f.size(); p++) {
                INDArray g = sum.get(p);
                f.get(p).addi(g.muli(g).divi(n)); // sum is reset for the next image
            }
        }
        return f;
    }
}
