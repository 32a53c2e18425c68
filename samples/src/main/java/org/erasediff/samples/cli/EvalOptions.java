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

    /** Images per kept class of a conditional model when {@code --eval-per-class} is not given. */
    static final int CONDITIONAL_PER_KEPT = 100;

    /**
     * Images per class of an unconditional model forgetting classes when {@code --eval-per-class} is not given:
     * 600 × 10 digits gives 6,000 samples, where a share near 10 % has a standard error of 0.4 points (1 point at
     * 1,000 samples, too coarse to tell whether a digit's share moved by 2 points).
     */
    static final int UNCONDITIONAL_PER_CLASS = 600;

    @Option(names = "--eval-per-class", paramLabel = "N", description = "Images generated per kept class (default "
            + CONDITIONAL_PER_KEPT + "); an unconditional model generates this many times the number of classes "
            + "(default " + UNCONDITIONAL_PER_CLASS + " when forgetting classes, so that a share of MNIST's 10 "
            + "classes is measured to about 0.4 points; " + CONDITIONAL_PER_KEPT + " for individual images).")
    Integer perKept;

    @Mixin
    EvalSamplerOptions sampler = new EvalSamplerOptions();

    @Option(names = "--no-eval", description = "Skip the before/after evaluation.")
    boolean skip;

    @Option(names = "--cache", paramLabel = "DIR", defaultValue = "runs/sample-cache", description = "Sample cache folder "
            + "(default ${DEFAULT-VALUE}).")
    Path cache;

    /** Checks the counts (before anything is loaded). */
    void validate() {
        if (skip) {
            return;
        }
        if (perKept != null && perKept < 4) {
            throw new IllegalArgumentException("--eval-per-class must be >= 4 (precision/recall compares 3 "
                    + "neighbours), was " + perKept);
        }
        if (perForget < 2) {
            throw new IllegalArgumentException("--eval-forget must be >= 2 (FID needs a covariance), was "
                    + perForget);
        }
    }

    /** The evaluation sampler (from {@link EvalDefaults}). */
    SamplerConfig sampler() {
        return sampler.sampler();
    }

    /**
     * The sample counts for a model and a forget set.
     *
     * @param conditional whether the model is class-conditional
     * @param byClass     whether whole classes are forgotten (an unconditional model is then judged by its
     *                    class shares, which need the larger default)
     * @return the counts given, or the defaults for this model and forget set
     */
    Counts counts(boolean conditional, boolean byClass) {
        int kept = perKept != null ? perKept
                : !conditional && byClass ? UNCONDITIONAL_PER_CLASS : CONDITIONAL_PER_KEPT;
        return new Counts(kept, perForget);
    }

    /**
     * The evaluator (see {@link JudgeOptions#evaluator}), with a KID subset of 5 × {@code perKept} (at most 1,000).
     *
     * @param schedule the model's noise schedule
     * @param judge    the user's judge options
     * @param data     the data
     * @param counts   the sample counts ({@link #counts})
     */
    ModelEvaluator evaluator(ScheduleConfig schedule, JudgeOptions judge, DataOptions.Dataset data, Counts counts)
            throws IOException {
        return judge.evaluator(schedule, sampler(), 5 * counts.perKept(), cache, data.images());
    }

    /**
     * How many images an evaluation generates.
     *
     * @param perKept   per kept class (an unconditional model: per class, times the number of classes in all)
     * @param perForget per forgotten class of a conditional model
     */
    record Counts(int perKept, int perForget) {
    }
}
