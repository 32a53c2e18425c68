package org.erasediff.core.unlearn;

/**
 * What the remain loss L_r regresses the model onto for the data to keep.
 *
 * <ul>
 *   <li>{@link #NOISE}: the noise ε drawn to build x_t = √ᾱ_t·x_r + √(1−ᾱ_t)·ε from a remain image:
 *       L_r = ‖ε − ε_θ(x_t, t, c_r)‖², the denoising loss on the remaining data (the paper's).</li>
 *   <li>{@link #ORIGINAL}: the original model's own prediction at the same x_t, detached:
 *       L_r = ‖ε_θ*(x_t, t, c_r) − ε_θ(x_t, t, c_r)‖², which is zero at the start and measures how far
 *       the model has moved from the original on the remaining data (this project's option, not the
 *       paper's).</li>
 *   <li>{@link #ORIGINAL_WITHOUT_FORGET}: the same with the forget data's part of the original's
 *       prediction taken out ({@link OriginalWithoutForget}): the original model's estimate of the
 *       remaining data's own denoiser, for unconditional models (this project's option).</li>
 * </ul>
 *
 * <p>Why {@link #ORIGINAL} exists: the denoising loss is a noisy estimate whose minimiser is a model
 * trained on the remaining data, not the model being unlearned, so a few hundred steps at an
 * unlearning learning rate retrain the model along it. For a class-conditional model that is
 * harmless, but an unconditional model's samples follow a chaotic map from starting noise to image:
 * measured on the shipped unconditional MNIST model, 400 steps of the remain loss alone at Adam
 * 2e-3 (λ = 0) moved one sample in five to another digit and shifted whole classes by 2–3 points.
 * Regressing onto the original model keeps the remaining data's part of that map where it was and
 * leaves the forgetting to the forget loss. It costs one forward pass of the original model over the
 * remain batch per step. At high noise levels, though, the original's prediction still holds the
 * forget data's share of the posterior mean, which the forget loss has to work against;
 * {@link #ORIGINAL_WITHOUT_FORGET} takes it out.
 */
public enum RemainTarget {
    /** The drawn noise: the denoising loss on the remaining data (the paper's L_r). */
    NOISE,
    /** The original model's detached prediction at the same noisy images (distillation onto it). */
    ORIGINAL,
    /**
     * The original model's detached prediction with the forget data's share of it removed, estimated
     * from the step's remain and forget batches (unconditional models).
     */
    ORIGINAL_WITHOUT_FORGET;

    /** Whether the target is computed from the original model's predictions. */
    public boolean usesOriginal() {
        return this != NOISE;
    }
}
