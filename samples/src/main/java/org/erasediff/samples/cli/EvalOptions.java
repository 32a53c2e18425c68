package org.erasediff.samples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.data.Mnist;
import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.sampling.Solver;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.eval.generate.ModelEvaluator;
import org.erasediff.eval.generate.SampleGenerator;
import org.erasediff.eval.metrics.KidConfig;
import picocli.CommandLine.Option;

/** How a command evaluates models before and after unlearning: sample counts, sampler, cache. */
final class EvalOptions {

    @Option(names = "--eval-forget", paramLabel = "N", defaultValue = "500", description = "Images generated per forgotten class "
            + "(default ${DEFAULT-VALUE}).")
    int perForget;

    @Option(names = "--eval-per-class", paramLabel = "N", defaultValue = "100", description = "Images generated per kept class "
            + "(default ${DEFAULT-VALUE}); an unconditional model generates this many times the number of classes.")
    int perKept;

    @Option(names = "--eval-steps", paramLabel = "N", defaultValue = "" + EvalDefaults.STEPS,
            description = "Sampling steps for evaluation (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--eval-solver", paramLabel = "SOLVER", defaultValue = EvalDefaults.SOLVER, converter = EvalDefaults.SolverConverter.class,
            description = "Sampler for evaluation: ddim or dpm-solver++ (default ${DEFAULT-VALUE}).")
    Solver solver;

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
        return EvalDefaults.sampler(solver, steps, SamplerConfig.DEFAULT_GUIDANCE_SCALE);
    }

    /**
     * The evaluator: the shipped MNIST judges against the MNIST test set, or the user's judge
     * against the user's images.
     *
     * @param schedule the model's noise schedule
     * @param judge    the user's judge options
     * @param data     the data (the reference images for a user's judge)
     * @throws IllegalArgumentException if the data needs a judge of its own or the judge does not fit it
     */
    ModelEvaluator evaluator(ScheduleConfig schedule, JudgeOptions judge, DataOptions.Dataset data) throws IOException {
        LabelledImages d = data.images();
        if (!judge.given()) {
            if (d.channels() != 1 || d.height() != Mnist.SIZE || d.width() != Mnist.SIZE
                    || d.numClasses() > Mnist.CLASSES) {
                throw new IllegalArgumentException("the shipped judges classify MNIST digits (1x28x28, 10 classes), "
                        + "the data has " + d.channels() + "x" + d.height() + "x" + d.width() + " images in "
                        + d.numClasses() + " classes: name your classifier with --judge, or give --no-eval");
            }
            return MnistEvaluators.create(schedule, sampler(), 5 * perKept, cache);
        }
        var classifier = judge.load();
        SampleGenerator generator = new SampleGenerator(NoiseSchedule.create(schedule), sampler(), 100, cache);
        return new ModelEvaluator(classifier, List.of(), generator, d,
                KidConfig.builder().optSubsetSize(Math.max(2, Math.min(1000, 5 * perKept))).optNumSubsets(50).build());
    }
}
