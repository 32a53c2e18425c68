package org.erasediff.core.sampling;

/**
 * Which update rule a {@link Sampler} uses to go from one visited timestep to the next.
 * Both start from x_T ~ N(0, I) at t = T−1, visit the timesteps the config's
 * {@link TimestepSpacing} picks, and finish with a step to "before 0" (ᾱ_{−1} = 1) that
 * returns the model's clean-image estimate x̂_0.
 */
public enum Solver {
    /**
     * Generalised DDIM ({@link DdimStep}): first order in the noise prediction, stochastic for
     * η &gt; 0 (η = 1 with every timestep visited is ancestral DDPM), deterministic for η = 0.
     */
    DDIM,
    /**
     * DPM-Solver++(2M) ({@link DpmSolverPlusPlusStep}): a deterministic second-order multistep
     * solver of the probability-flow ODE in data-prediction form, which reuses the previous
     * step's x̂_0 instead of calling the model twice per step. First order on the first and on
     * the final step. Requires η = 0; usually needs far fewer steps than DDIM for the same
     * accuracy.
     */
    DPM_SOLVER_PP_2M
}
