package org.erasediff.core.optim;

import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Exponential moving average of parameters ("EMA weights"):
 * {@code shadow ← decay·shadow + (1 − decay)·params} after each optimiser step.
 *
 * <p>The shadow copies are allocated once, when the average is created, and updated in place
 * afterwards. The live parameters are only read by {@link #update(List)} and only written by
 * {@link #copyTo(List)} and {@link #swapWith(List)}. Not thread-safe.
 */
public final class ExponentialMovingAverage {

    private final double decay;
    private final List<INDArray> shadow;
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
        if (!(decay >= 0.0 && decay < 1.0)) {
            throw new IllegalArgumentException("decay must be in [0, 1), was " + decay);
        }
        this.decay = decay;
        this.shadow = GradientVectors.allocateLike(params);
    }

    /** The decay this average was created with. */
    public double decay() {
        return decay;
    }

    /**
     * Folds the current parameters into the average, in place.
     *
     * @param params the live parameters, paired with the ones given at construction; not modified
     * @throws IllegalArgumentException if the list does not match the averaged parameters
     */
    public void update(List<INDArray> params) {
        GradientVectors.checkPaired(shadow, params, "shadow", "params", true);
        GradientVectors.scaleInPlace(shadow, decay);
        GradientVectors.addScaledInPlace(shadow, 1.0 - decay, params);
    }

    /**
     * Overwrites the live parameters with the average (e.g. before saving the final model).
     *
     * @param params the live parameters; overwritten in place
     * @throws IllegalArgumentException if the list does not match the averaged parameters
     */
    public void copyTo(List<INDArray> params) {
        GradientVectors.copyInto(shadow, params);
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
