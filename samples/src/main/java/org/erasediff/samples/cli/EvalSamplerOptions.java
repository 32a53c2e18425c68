package org.erasediff.samples.cli;

import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.sampling.Solver;
import picocli.CommandLine.Option;

/**
 * The evaluation sampler's options ({@code --eval-steps}, {@code --eval-solver}) as a picocli mixin,
 * with {@link EvalDefaults}' defaults, for commands that evaluate generated images.
 */
final class EvalSamplerOptions {

    @Option(names = "--eval-steps", defaultValue = "" + EvalDefaults.STEPS,
            description = "Sampling steps for evaluation (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--eval-solver", defaultValue = EvalDefaults.SOLVER, converter = EvalDefaults.SolverConverter.class,
            description = "Sampler for evaluation: ddim or dpm-solver++ (default ${DEFAULT-VALUE}).")
    Solver solver;

    /** The sampler with the default guidance. */
    SamplerConfig sampler() {
        return EvalDefaults.sampler(solver, steps, SamplerConfig.DEFAULT_GUIDANCE_SCALE);
    }
}
