package org.erasediff.samples.cli;

import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.sampling.Solver;
import picocli.CommandLine.Option;

/** How {@code eval} and {@code sample} draw images: solver, steps, guidance and seed. */
final class SamplerOptions {

    @Option(names = "--steps", paramLabel = "N", defaultValue = "" + EvalDefaults.STEPS,
            description = "Sampling steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--solver", paramLabel = "SOLVER", defaultValue = EvalDefaults.SOLVER,
            converter = EvalDefaults.SolverConverter.class,
            description = "Sampler: ddim or dpm-solver++ (default ${DEFAULT-VALUE}).")
    Solver solver;

    @Option(names = "--guidance", paramLabel = "W", defaultValue = "" + SamplerConfig.DEFAULT_GUIDANCE_SCALE,
            description = "Classifier-free guidance scale w (default ${DEFAULT-VALUE}).")
    double guidance;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1", description = "Seed of the starting noise "
            + "(default ${DEFAULT-VALUE}).")
    long seed;

    /** The validated sampler settings (from {@link EvalDefaults}). */
    SamplerConfig config() {
        return EvalDefaults.sampler(solver, steps, guidance);
    }
}
