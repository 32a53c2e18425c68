package org.erasediff.core.sampling;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Classifier-free guidance around a {@link NoisePredictor}:
 * ε̃ = (1 + w)·ε(x_t, c) − w·ε(x_t, ∅), with both halves from ONE predictor call on the
 * conditional and unconditional batches stacked along the batch axis (2B rows: the B
 * conditional rows first, then B rows labelled {@link NoisePredictor#NULL_LABEL}).
 *
 * <p>The model is called once with B rows instead when guidance cannot change the result:
 * w = 0 (ε̃ = ε(x_t, c)), every label is already NULL_LABEL (ε̃ = ε(x_t, ∅)), or the model is
 * unconditional (labels must then be null).
 *
 * <p>Keeps a reusable 2B-row input buffer, so an instance is not thread-safe.
 */
public final class ClassifierFreeGuidance {

    private final NoisePredictor model;
    private final double scale;
    private INDArray stacked;

    /**
     * @param model the noise predictor
     * @param scale the guidance scale w ≥ 0
     */
    public ClassifierFreeGuidance(NoisePredictor model, double scale) {
        this.model = Objects.requireNonNull(model, "model");
        if (!(scale >= 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("guidance scale w must be finite and >= 0, got " + scale);
        }
        this.scale = scale;
    }

    /**
     * Predicts the guided noise for a batch at one timestep.
     *
     * @param xt     noisy images {@code [B, C, H, W]}; not modified
     * @param t      the timestep of every image
     * @param labels B class labels (or NULL_LABEL) for a conditional model; null for an
     *               unconditional one
     * @return ε̃ {@code [B, C, H, W]}, owned by the caller and free to mutate (it may be a view
     *         of a larger array the predictor returned)
     */
    public INDArray predict(INDArray xt, int t, int[] labels) {
        Objects.requireNonNull(xt, "xt");
        int batch = (int) xt.size(0);
        if (!model.isConditional()) {
            if (labels != null) {
                throw new IllegalArgumentException("the model is unconditional: expected labels = null, got "
                        + labels.length + " labels");
            }
            return checked(model.predictNoise(xt, filled(batch, t), null), xt);
        }
        if (labels == null || labels.length != batch) {
            throw new IllegalArgumentException("a conditional model needs one label per image: expected "
                    + batch + " labels, got " + (labels == null ? "null" : labels.length));
        }
        if (scale == 0 || Arrays.stream(labels).allMatch(l -> l == NoisePredictor.NULL_LABEL)) {
            return checked(model.predictNoise(xt, filled(batch, t), labels), xt);
        }
        INDArray input = stackedBuffer(xt);
        input.get(NDArrayIndex.interval(0, batch)).assign(xt);
        input.get(NDArrayIndex.interval(batch, 2 * batch)).assign(xt);
        int[] allLabels = Arrays.copyOf(labels, 2 * batch);
        Arrays.fill(allLabels, batch, 2 * batch, NoisePredictor.NULL_LABEL);
        INDArray eps = checked(model.predictNoise(input, filled(2 * batch, t), allLabels), input);
        INDArray guided = eps.get(NDArrayIndex.interval(0, batch));
        INDArray uncond = eps.get(NDArrayIndex.interval(batch, 2 * batch));
        guided.muli(1 + scale);
        Nd4j.exec(new Axpy(uncond, guided, guided, -scale));
        return guided;
    }

    /** @return the guidance scale w */
    public double scale() {
        return scale;
    }

    private INDArray stackedBuffer(INDArray xt) {
        long[] shape = xt.shape().clone();
        shape[0] *= 2;
        if (stacked == null || !Arrays.equals(stacked.shape(), shape) || stacked.dataType() != xt.dataType()) {
            stacked = Nd4j.createUninitialized(xt.dataType(), shape);
        }
        return stacked;
    }

    private static int[] filled(int n, int value) {
        int[] out = new int[n];
        Arrays.fill(out, value);
        return out;
    }

    /** Enforces the predictor's contract: the output has the input's shape and data type. */
    private static INDArray checked(INDArray eps, INDArray input) {
        if (eps == null || !Arrays.equals(eps.shape(), input.shape()) || eps.dataType() != input.dataType()) {
            throw new IllegalStateException("the noise predictor must return " + input.dataType() + " "
                    + Arrays.toString(input.shape()) + ", got "
                    + (eps == null ? "null" : eps.dataType() + " " + Arrays.toString(eps.shape())));
        }
        return eps;
    }
}
