package org.erasediff.core.util;

/**
 * What a random stream is used for. Each purpose carries a fixed code that enters the seed
 * derivation of {@link RngStreams}; codes never change and are never reused, so adding a purpose
 * does not change the streams of the others (and saved runs replay the same).
 */
public enum RngPurpose {
    /** Diffusion timesteps drawn for training losses. */
    TIMESTEPS(1),
    /** Gaussian noise ε used to build x_t. */
    NOISE(2),
    /** Order of the remaining-data batches. */
    REMAIN_BATCHES(3),
    /** Order of the forgetting-data batches. */
    FORGET_BATCHES(4),
    /** Forgetting targets: uniform or shifted-Gaussian target noise, random pseudo-labels. */
    TARGETS(5),
    /** Classifier-free-guidance label dropout during training. */
    LABEL_DROPOUT(6),
    /** Initial noise and per-step noise of samplers. */
    SAMPLING(7),
    /** Order of the forget set within one inner epoch of the reference-compatible EraseDiff rounds. */
    INNER_EPOCH_ORDER(8),
    /** The remain images a remain-posterior forgetting target is taken over, when it has a pool of its own. */
    POSTERIOR_POOL(9);

    private final long code;

    RngPurpose(long code) {
        this.code = code;
    }

    /** The fixed code of this purpose used in seed derivation. */
    public long code() {
        return code;
    }
}
