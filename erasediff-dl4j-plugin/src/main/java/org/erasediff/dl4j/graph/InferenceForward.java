package org.erasediff.dl4j.graph;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A hand-written forward pass of a known network that computes what its SameDiff graph's output
 * computes, faster, with no gradient bookkeeping. A {@link DiffusionGraph} given one
 * ({@link DiffusionGraph#withInference}) uses it for every {@code predictNoise}; training never
 * does, since it differentiates the graph itself.
 *
 * <p>The forward reads the parameters from the graph it is handed on every call, so it always
 * sees the current weights (say, during unlearning). It keeps working memory between calls and
 * is not thread-safe: {@link #copy()} gives another with its own.
 */
public interface InferenceForward {

    /**
     * Predicts the noise.
     *
     * @param sd        the graph whose parameters to use
     * @param xt        noisy images {@code [B, C, H, W]}; not modified
     * @param timesteps one timestep index per image
     * @param labels    one label per image, {@code numClasses} for the null class; {@code null}
     *                  for an unconditional network
     * @return a new array {@code [B, C, H, W]} owned by the caller
     */
    INDArray predict(SameDiff sd, INDArray xt, int[] timesteps, int[] labels);

    /** A forward of the same network with its own working memory. */
    InferenceForward copy();

    /** Frees the working memory kept between calls (the next call allocates it again). */
    void release();
}
