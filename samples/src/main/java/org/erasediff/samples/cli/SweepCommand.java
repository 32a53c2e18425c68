package org.erasediff.samples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.deeplearning4j.arbiter.optimize.runner.listener.impl.LoggingStatusListener;
import org.erasediff.core.optim.UpdaterSettings;
import org.erasediff.core.unlearn.BaselineConfig;
import org.erasediff.core.unlearn.BaselineMethod;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.core.unlearn.ForgetTarget;
import org.erasediff.core.unlearn.LambdaRule;
import org.erasediff.dl4j.sweep.BaselineSpace;
import org.erasediff.dl4j.sweep.EraseDiffSpace;
import org.erasediff.dl4j.sweep.LocalSweepRunner;
import org.erasediff.dl4j.sweep.SweepObjective;
import org.erasediff.dl4j.sweep.SweepPlan;
import org.erasediff.dl4j.sweep.SweepProblem;
import org.erasediff.dl4j.sweep.SweepRecord;
import org.erasediff.dl4j.sweep.SweepResults;
import org.erasediff.dl4j.sweep.SweepSettings;
import org.erasediff.dl4j.sweep.SweepSummary;
import org.erasediff.dl4j.sweep.UnlearningSpace;
import org.erasediff.eval.sweep.SweepReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code erasediff sweep}: a hyperparameter sweep of EraseDiff (λ, its rule, K, ξ, the learning
 * rate, the steps, the forget target) or a baseline (learning rate, steps, its own weight) on the shipped MNIST model
 * or the user's model, data and judge (the options {@code unlearn} takes), with
 * Arbiter's random or grid search. Writes the results as each candidate finishes (a stopped sweep
 * resumes in the same folder), the best config (for {@code unlearn --config}), a Pareto plot and a
 * table; prints {@code {"candidates": n, "best": {…}, "pareto": […]}}.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Sweeps unlearning hyperparameters on the shipped MNIST model or yours (--model, --spec, --data, "
                + "--judge, as unlearn takes them) with Arbiter random or grid search: each candidate unlearns the "
                + "classes from a copy of the model and is scored by P(forgotten class) under every judge and the FID "
                + "of the kept classes; ranks by P + weight x FID and keeps the Pareto front. "
                + "Rerun with the same --output to resume a stopped sweep.")
public final class SweepCommand implements Callable<Integer> {

    /** How the candidates run: on this machine (default) or elsewhere (e.g. on Spark). */
    @FunctionalInterface
    public interface Execution {
        /**
         * Runs the plan's candidates not yet in {@code output}, exports the best config, and summarises.
         *
         * @param plan      the candidates
         * @param problem   base model, data and scorer
         * @param output    the results folder
         * @param listeners Arbiter status listeners wanted
         */
        SweepSummary run(SweepPlan plan, SweepProblem problem, Path output, List<StatusListener> listeners)
                throws IOException;
    }

    /** Runs the candidates one at a time on this machine with Arbiter's local runner. */
    public static final Execution LOCAL = (plan, problem, output, listeners) ->
            LocalSweepRunner.builder(plan.space(), problem, plan.settings(), output)
                    .addStatusListeners(listeners.toArray(new StatusListener[0])).build().run();

    private final Execution execution;

    @Spec
    CommandSpec spec;

    @Option(names = "--output", required = true, description = "Results folder (created; an existing sweep there resumes).")
    Path output;

    @Option(names = "--method", defaultValue = "erasediff",
            description = "Method: erasediff, finetune, neggrad, blindspot, sa, salun or esd (default ${DEFAULT-VALUE}).")
    String method;

    @Mixin
    ClassForgetOptions problem;

    @Option(names = "--search", defaultValue = "random", description = "random or grid (default ${DEFAULT-VALUE}).")
    String search;

    @Option(names = "--candidates", defaultValue = "12", description = "Candidate budget (default ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = "--max-minutes", defaultValue = "0", description = "Time budget: no candidate starts after it (default ${DEFAULT-VALUE}: none).")
    long maxMinutes;

    @Option(names = "--sweep-seed", defaultValue = "1", description = "Seed of the search: the same seed gives the same candidates (default ${DEFAULT-VALUE}).")
    long sweepSeed;

    @Option(names = "--grid-points", defaultValue = "3", description = "Grid values per continuous range (default ${DEFAULT-VALUE}).")
    int gridPoints;

    @Option(names = "--quality-weight", defaultValue = "0.01", description = "Weight of fid_remain in the score p_forget + w x fid_remain (default ${DEFAULT-VALUE}).")
    double qualityWeight;

    @Option(names = "--bar", paramLabel = "FIGURE=MAX", description = "A bar the best candidate must meet, e.g. "
            + "argmax_forget=0.015 (repeatable): candidates meeting every bar rank first, then by the score.")
    Map<String, Double> bars = new LinkedHashMap<>();

    @Option(names = "--lambda", defaultValue = "0.3:3", converter = RangeConverter.class,
            description = "EraseDiff only: λ range MIN:MAX, log-uniform, or one value (η for rules other than fixed; default ${DEFAULT-VALUE}).")
    Range lambda;

    @Option(names = "--lambda-rules", split = ",", defaultValue = "fixed",
            description = "EraseDiff only: λ rules to choose from: fixed, bome_ratio, value_gap, reference_cosine (default ${DEFAULT-VALUE}).")
    List<String> lambdaRules;

    @Option(names = "--lr", defaultValue = "5e-4:5e-3", converter = RangeConverter.class,
            description = "Adam learning-rate range MIN:MAX, log-uniform, or one value (default ${DEFAULT-VALUE}).")
    Range lr;

    @Option(names = "--weight", converter = RangeConverter.class, paramLabel = "MIN:MAX",
            description = "A baseline's own weight, log-uniform MIN:MAX or one value: sa's λ (Fisher penalty), "
                    + "salun's α (remaining loss) or esd's η (negative guidance); unswept by default.")
    Range weight;

    @Option(names = "--steps", defaultValue = "200", converter = RangeConverter.class,
            description = "Outer steps MIN:MAX or one value (default ${DEFAULT-VALUE}).")
    Range steps;

    @Option(names = "--inner-steps", defaultValue = "" + EraseDiffConfig.DEFAULT_INNER_STEPS, converter = RangeConverter.class,
            description = "EraseDiff only: K range MIN:MAX or one value (used with value_gap; default ${DEFAULT-VALUE}).")
    Range innerSteps;

    @Option(names = "--inner-step-size", defaultValue = "" + EraseDiffConfig.DEFAULT_INNER_STEP_SIZE,
            converter = RangeConverter.class,
            description = "EraseDiff only: ξ range MIN:MAX, log-uniform, or one value (used with value_gap; default ${DEFAULT-VALUE}).")
    Range innerStepSize;

    @Option(names = "--targets", split = ",", defaultValue = "uniform", converter = ForgetTargetConverter.class,
            description = "EraseDiff only: forget targets to choose from, as unlearn's --target (default ${DEFAULT-VALUE}).")
    List<ForgetTarget> targets;

    @Option(names = "--remain-batch", defaultValue = "64", description = "Remain batch size (default ${DEFAULT-VALUE}).")
    int remainBatch;

    @Option(names = "--forget-batch", defaultValue = "64", description = "Forget batch size (default ${DEFAULT-VALUE}).")
    int forgetBatch;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of every candidate's unlearning run (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--eval-forget", defaultValue = "100", description = "Images generated per forgotten digit (default ${DEFAULT-VALUE}).")
    int perForget;

    @Option(names = "--eval-per-class", defaultValue = "20", description = "Images generated per kept digit (default ${DEFAULT-VALUE}).")
    int perKept;

    @Mixin
    EvalSamplerOptions evalSampler = new EvalSamplerOptions();

    @Option(names = "--cache", defaultValue = "runs/sample-cache", description = "Sample cache folder (default ${DEFAULT-VALUE}).")
    Path cache;

    @Option(names = "--status-log", description = "Log Arbiter's candidate status changes (its LoggingStatusListener).")
    boolean statusLog;

    @Option(names = "--json", description = "Print the summary as one JSON object on the last line.")
    boolean json;

    /** A sweep run on this machine. */
    public SweepCommand() {
        this(LOCAL);
    }

    /** A sweep whose candidates run through {@code execution}. */
    public SweepCommand(Execution execution) {
        this.execution = Objects.requireNonNull(execution, "execution");
    }

    @Override
    public Integer call() throws Exception {
        SweepSettings settings = settings(SweepObjective.DEFAULT_FORGET_KEY);
        // every candidate is drawn (and validated) before any work
        SweepPlan plan = new SweepPlan(space(), settings);
        if (perKept < 1 || perForget < 1) {
            throw new IllegalArgumentException("--eval-per-class and --eval-forget must be >= 1");
        }
        evalSampler.sampler(); // validates the sampler settings now
        CliSweepProblem sweepProblem = new CliSweepProblem(problem, evalSampler.solver, evalSampler.steps, perKept,
                perForget, cache);
        sweepProblem.check(); // the model, data, classes and judge, before anything is written
        boolean conditional = sweepProblem.baseModel().isConditional();
        for (String bar : bars.keySet()) {
            if (conditional == UNCONDITIONAL_ONLY.contains(bar) || !conditional && CONDITIONAL_ONLY.contains(bar)) {
                throw new IllegalArgumentException("--bar " + bar + ": " + (conditional ? "a conditional"
                        : "an unconditional") + " model's candidates have no such figure");
            }
        }
        if (!conditional) {
            // an unconditional model's forgetting is the share of its samples the judge calls a forgotten class
            settings = settings(UNCONDITIONAL_FORGET_KEY);
            plan = new SweepPlan(space(), settings);
        }
        List<StatusListener> listeners = statusLog ? List.of(new LoggingStatusListener()) : List.of();
        SweepSummary summary = execution.run(plan, sweepProblem, output, listeners);
        int planned = plan.size();
        List<SweepRecord> records = SweepResults.open(output).records().stream()
                .filter(r -> r.index() < planned).toList();
        if (summary.best() != null) {
            new SweepReport(settings.objective()).write(output, records, summary);
        }
        Map<String, Object> out = new LinkedHashMap<>(summary.toMap());
        out.put("output", output.toString());
        JsonOutput.print(out, json);
        return 0;
    }

    /** Options that only an EraseDiff sweep reads; a baseline sweep refuses them rather than ignore them. */
    static final List<String> ERASEDIFF_ONLY = List.of("--lambda", "--lambda-rules", "--inner-steps",
            "--inner-step-size", "--targets");

    /** The figures this command's scorer gives a candidate, which a {@code --bar} may name. */
    static final List<String> FIGURES = List.of("p_forget", "argmax_forget", "entropy_forget", "p_forget_sa",
            "argmax_forget_sa", "entropy_forget_sa", "fid_forget", "share_forget", "share_forget_sa",
            "accuracy_remain", "fid_remain", "kid_remain", "precision", "recall");

    /** Figures only a class-conditional model's candidates have (they need prompts). */
    static final List<String> CONDITIONAL_ONLY = List.of("p_forget", "argmax_forget", "entropy_forget", "p_forget_sa",
            "argmax_forget_sa", "entropy_forget_sa", "fid_forget", "accuracy_remain");

    /** Figures only an unconditional model's candidates have. */
    static final List<String> UNCONDITIONAL_ONLY = List.of("share_forget", "share_forget_sa");

    /** The forgetting figure of an unconditional model's candidates. */
    static final String UNCONDITIONAL_FORGET_KEY = "share_forget";

    /** The search settings the options give, with {@code forgetKey} as the score's forgetting figure. */
    private SweepSettings settings(String forgetKey) {
        return SweepSettings.builder(candidates).optSearch(switch (search) {
                    case "random" -> SweepSettings.Search.RANDOM;
                    case "grid" -> SweepSettings.Search.GRID;
                    default -> throw new IllegalArgumentException("--search must be random or grid, was '" + search + "'");
                }).optMaxSeconds(Math.multiplyExact(maxMinutes, 60)).optSeed(sweepSeed).optGridPoints(gridPoints)
                .optObjective(objective(forgetKey)).build();
    }

    /** The score with the quality weight and the bars the options give. */
    SweepObjective objective(String forgetKey) {
        SweepObjective o = new SweepObjective(forgetKey, SweepObjective.DEFAULT_QUALITY_KEY, qualityWeight);
        for (Map.Entry<String, Double> b : bars.entrySet()) {
            if (!FIGURES.contains(b.getKey())) {
                throw new IllegalArgumentException("--bar " + b.getKey() + ": not a figure of the sweep; one of "
                        + FIGURES);
            }
            o = o.withBar(b.getKey(), b.getValue());
        }
        return o;
    }

    /** The space the options describe. */
    UnlearningSpace space() {
        if (method.equals("erasediff")) {
            if (weight != null) {
                throw new IllegalArgumentException("--weight is a baseline's (sa, salun, esd); EraseDiff's λ is --lambda");
            }
            EraseDiffConfig base = EraseDiffConfig.builder().optUpdater(UpdaterSettings.adam(lr.min()))
                    .optLambdaRule(new LambdaRule.Fixed(lambda.min())).optRemainBatchSize(remainBatch)
                    .optForgetBatchSize(forgetBatch).optSeed(seed).build();
            return EraseDiffSpace.builder(base).optLambda(lambda.min(), lambda.max()).optLambdaRules(lambdaRules)
                    .optLearningRate(lr.min(), lr.max()).optSteps(steps.intMin("--steps"), steps.intMax("--steps"))
                    .optInnerSteps(innerSteps.intMin("--inner-steps"), innerSteps.intMax("--inner-steps"))
                    .optInnerStepSize(innerStepSize.min(), innerStepSize.max()).optForgetTargets(targets).build();
        }
        if (spec != null) {
            for (String option : ERASEDIFF_ONLY) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw new IllegalArgumentException(option + " is EraseDiff's; a baseline (--method " + method
                            + ") sweeps --lr, --steps and --weight");
                }
            }
        }
        BaselineMethod m = List.<BaselineMethod>of(new BaselineMethod.Finetune(), new BaselineMethod.NegGrad(),
                        new BaselineMethod.BlindSpot(), new BaselineMethod.SelectiveAmnesia(), new BaselineMethod.SalUn(),
                        new BaselineMethod.Esd()).stream().filter(b -> b.name().equals(method)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--method: unknown method '" + method
                        + "', use erasediff, finetune, neggrad, blindspot, sa, salun or esd"));
        BaselineConfig base = BaselineConfig.builder(m).optUpdater(UpdaterSettings.adam(lr.min()))
                .optRemainBatchSize(remainBatch).optForgetBatchSize(forgetBatch).optSeed(seed).build();
        BaselineSpace.Builder space = BaselineSpace.builder(base).optLearningRate(lr.min(), lr.max())
                .optSteps(steps.intMin("--steps"), steps.intMax("--steps"));
        if (weight != null) {
            try {
                space.optWeight(weight.min(), weight.max());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--weight: " + e.getMessage(), e);
            }
        }
        return space.build();
    }

    /**
     * A range {@code MIN:MAX} or a single value.
     *
     * @param min the lower end
     * @param max the upper end
     */
    record Range(double min, double max) {
        int intMin(String option) {
            return whole(min, option);
        }

        int intMax(String option) {
            return whole(max, option);
        }

        private static int whole(double v, String option) {
            if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(option + " takes whole numbers, was " + v);
            }
            return (int) v;
        }
    }

    /** Reads {@code MIN:MAX} or one value. */
    static final class RangeConverter implements CommandLine.ITypeConverter<Range> {
        @Override
        public Range convert(String value) {
            String[] parts = value.split(":", -1);
            try {
                if (parts.length == 1) {
                    double v = Double.parseDouble(parts[0].trim());
                    return new Range(v, v);
                }
                if (parts.length == 2) {
                    return new Range(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()));
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a number or a range MIN:MAX");
        }
    }
}
