package org.erasediff.samples.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.eval.generate.ModelEvaluator;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How a command evaluates models before and after unlearning: sample counts, sampler, cache. */
final class EvalOptions {

    @Option(names = "--eval-forget", paramLabel = "N", defaultValue = "500", description = "Images generated per forgotten class "
            + "(default ${DEFAULT-VALUE}).")
    int perForget;

    @Option(names = "--eval-per-class", paramLabel = "N", defaultValue = "100", description = "Images generated per kept class "
            + "(default ${DEFAULT-VALUE}); an unconditional model generates this many times the number of classes.")
    int perKept;

    @Mixin
    EvalSamplerOptions sampler = new EvalSamplerOptions();

    @Option(names = "--no-eval", description = "Skip the before/after evaluation.")
    boolean skip;

    @Option(names = "--cache", paramLabel = "DIR", defaultValue = "runs/sample-cache", description = "Sample cache folder "
            + "(default ${DEFAULT-VALUE}).")
    Path cache;

    /** Checks the counts (before anything is loaded). */
    void validate() {
        if (!skip && (perKept < 4 || perForget < 2)) {
            throw new IllegalArgumentException("--eval-per-class must be >= 4 (precision/recall compares 3 "
                    + "neighbours) and --eval-forget >= 2 (FID needs a covariance), were " + perKept + " and "
                    + perForget);
        }
    }

    /** The evaluation sampler (from {@link EvalDefaults}). */
    SamplerConfig sampler() {
        return sampler.sampler();
    }

    /**
     * The evaluator (see {@link JudgeOptions#evaluator}).
     *
     * @param schedule the model's noise schedule
     * @param judge    the user's judge options
     * @param data     the data
     */
    ModelEvaluator evaluator(ScheduleConfig schedule, JudgeOptions judge, DataOptions.Dataset data) throws IOException {
        return judge.evaluator(schedule, sampler(), 5 * perKept, cache, data.images());
    }
}
