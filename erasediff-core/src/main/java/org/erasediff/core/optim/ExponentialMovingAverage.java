package org.erasediff.core.optim;

import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Exponential moving average of parameters ("EMA weights"):
 * {@code shadow ← d_n·shadow + (1 − d_n)·params} after the n-th optimiser step (n counted from 0).
 *
 * <p>Without warm-up {@code d_n} is the configured decay d for every step, so after N steps a
 * share d^N of the average is still the starting weights (0.99^200 ≈ 13 %). With warm-up
 * {@code d_0 = 0} and {@code d_n = min(d, (1 + n)/(10 + n))} — the rule of the diffusers library's
 * {@code EMAModel} — so the first update replaces the starting weights and early steps count less
 * while the average is short. The number of updates so far is part of the state
 * ({@link #updates()}, {@link #setUpdates(long)}) and must be checkpointed with the shadow.
 *
 * <p>The shadow copies are allocated once, when the average is created, and updated in place
 * afterwards. The live parameters are only read by {@link #update(List)} and only written by
 * {@link #swapWith(List)}. Not thread-safe.
 */
public final class ExponentialMovingAverage {

    private final double decay;
    private final boolean warmup;
    private final List<INDArray> shadow;
    private long updates;
    private List<INDArray> swapBuffer;

    /**
     * Starts an average at the current parameter values.
     *
     * @param params the live parameters; copied, not modified or retained
     * @param decay  weight of the old average, in {@code [0, 1)} ({@code 0} makes the average
     *               equal the latest parameters)
     * @throws IllegalArgumentException if {@code decay} is outside {@code [0, 1)} or the list is
     *                                  {@code null} or contains {@code null}
     */
    public ExponentialMovingAverage(List<INDArray> params, double decay) {
        this(params, decay, false);
    }

    /**
     * Starts an average at the current parameter values, with or without the warm-up rule.
     *
     * @param params the live parameters; copied, not modified or retained
     * @param decay  the (largest) weight of the old average, in {@code [0, 1)}
     * @param warmup whether to use {@code d_n = min(decay, (1 + n)/(10 + n))}, {@code d_0 = 0}
     * @throws IllegalArgumentException if {@code decay} is outside {@code [0, 1)} or the list is
     *                                  {@code null} or contains {@code null}
     */
    public ExponentialMovingAverage(List<INDArray> params, double decay, boolean warmup) {
        if (!(decay >= 0.0 && decay < 1.0)) {
            throw new IllegalArgumentException("decay must be in [0, 1), was " + decay);
        }
        this.decay = decay;
        this.warmup = warmup;
        this.shadow = GradientVectors.allocateLike(params);
    }

    /** The decay the next {@link #update(List)} uses: {@code d_n} for {@code n = updates()}. */
    private double nextDecay() {
        if (!warmup) {
            return decay;
        }
        return updates == 0 ? 0.0 : Math.min(decay, (1.0 + updates) / (10.0 + updates));
    }

    /** The number of updates folded in so far (drives the warm-up; checkpoint it). */
    public long updates() {
        return updates;
    }

    /**
     * Sets the update count, e.g. when resuming from a checkpoint.
     *
     * @param n updates so far, {@code >= 0}
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public void setUpdates(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("updates must be >= 0, was " + n);
        }
        updates = n;
    }

    /**
     * Folds the current parameters into the average, in place.
     *
     * @param params the live parameters, paired with the ones given at construction; not modified
     * @throws IllegalArgumentException if the list does not match the averaged parameters
     */
    public void update(List<INDArray> params) {
        GradientVectors.checkPaired(shadow, params, "shadow", "params", true);
        double d = nextDecay();
        GradientVectors.scaleInPlace(shadow, d);
        GradientVectors.addScaledInPlace(shadow, 1.0 - d, params);
        updates++;
    }

    /**
     * Exchanges the live parameters and the average, in place; calling it twice restores both
     * (e.g. to evaluate the averaged model in the middle of training). The first call allocates
     * one scratch buffer per parameter, reused afterwards.
     *
     * @param params the live parameters; they receive the average and the average receives them
     * @throws IllegalArgumentException if the list does not match the averaged parameters
     */
    public void swapWith(List<INDArray> params) {
        GradientVectors.checkPaired(shadow, params, "shadow", "params", true);
        if (swapBuffer == null) {
            swapBuffer = GradientVectors.allocateLike(shadow);
        } else {
            GradientVectors.copyInto(shadow, swapBuffer);
        }
        GradientVectors.copyInto(params, shadow);
        GradientVectors.copyInto(swapBuffer, params);
    }

    /**
     * Replaces the average with saved values (e.g. when resuming from a checkpoint).
     *
     * @param saved values paired with the averaged parameters; copied, not retained
     * @throws IllegalArgumentException if the list does not match the averaged parameters
     */
    public void load(List<INDArray> saved) {
        GradientVectors.copyInto(saved, shadow);
    }

    /**
     * The average itself, one array per parameter.
     *
     * @return an unmodifiable list of arrays owned by this object: read them (e.g. to save a
     *         checkpoint) but do not modify them, and copy them if they must outlive the next update
     */
    public List<INDArray> shadow() {
        return Collections.unmodifiableList(shadow);
    }
}
