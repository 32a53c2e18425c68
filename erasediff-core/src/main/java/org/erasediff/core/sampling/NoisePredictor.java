package org.erasediff.core.sampling;

import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model that predicts the noise ε in a noisy image x_t = √ᾱ_t·x_0 + √(1−ᾱ_t)·ε.
 *
 * <p>Samplers, trainers and evaluators talk to networks only through this interface, so they
 * never know which graph sits behind it (the SameDiff adapter in the plugin, or a test oracle).
 */
public interface NoisePredictor {

    /** Label value meaning "no condition" (the learned null class used by classifier-free guidance). */
    int NULL_LABEL = -1;

    /**
     * Predicts the noise for a batch.
     *
     * @param xt        noisy images {@code [B, C, H, W]}, float; not modified
     * @param timesteps one timestep index per image, each in {@code [0, T)}
     * @param labels    one class label per image (or {@link #NULL_LABEL}); {@code null} for an
     *                  unconditional model
     * @return a new array {@code [B, C, H, W]} owned by the caller
     */
    INDArray predictNoise(INDArray xt, int[] timesteps, int[] labels);

    /** Whether the model takes class labels. */
    boolean isConditional();

    /**
     * A predictor with the same weights that may run on another thread at the same time as this
     * one, with its own working memory: a {@link Sampler} with {@code optWorkers(n)} samples
     * several chunks at once on such copies. The default is empty (the predictor cannot be
     * copied), and the sampler then samples one chunk at a time. A copy that is also
     * {@link AutoCloseable} is closed by the sampler when it is done with it.
     *
     * @return an independent predictor with identical outputs, or empty
     */
    default Optional<NoisePredictor> concurrentCopy() {
        return Optional.empty();
    }
}
