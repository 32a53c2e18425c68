package org.erasediff.samples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.sampling.Solver;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.sweep.SweepProblem;
import org.erasediff.dl4j.sweep.SweepScorer;
import org.erasediff.eval.sweep.EvaluatorScorer;
import org.erasediff.samples.ShippedAssets;

/**
 * The sweep problem the {@code sweep} command's options describe: forgetting classes from the
 * shipped MNIST model or the user's ({@link ModelOptions}), on the shipped MNIST training set or the
 * user's images ({@link DataOptions}), scored by the shipped judges or the user's
 * ({@link JudgeOptions}) through the shared evaluator with the commands' evaluation sampler. Holds
 * only file names, class names and numbers, so a cluster can rebuild it on any machine that has
 * the samples jar and the files; the options' own code loads and checks what they name.
 */
final class CliSweepProblem implements SweepProblem {

    private static final long serialVersionUID = 2L;

    private final String model;
    private final String spec;
    private final String schedule;
    private final String data;
    private final String idxImages;
    private final String idxLabels;
    private final String judge;
    private final String judgeInput;
    private final String judgeProbs;
    private final String judgeFeatures;
    private final List<String> forgetClasses;
    private final Solver solver;
    private final int evalSteps;
    private final int perKept;
    private final int perForget;
    private final String cache;
    private transient ShippedAssets.LoadedModel loaded;
    private transient DataOptions.Dataset dataset;

    /**
     * @param problem       the model, data and judge options (the shipped ones where none is named) and the
     *                      classes to forget, by index or name
     * @param solver        evaluation sampler
     * @param evalSteps     evaluation sampling steps
     * @param perKept       images generated per kept class
     * @param perForget     images generated per forgotten class
     * @param cache         sample cache folder, or {@code null} for none
     */
    CliSweepProblem(ClassForgetOptions problem, Solver solver, int evalSteps, int perKept, int perForget, Path cache) {
        this.model = name(problem.model.model);
        this.spec = name(problem.model.spec);
        this.schedule = name(problem.model.schedule);
        this.data = name(problem.data.folder);
        this.idxImages = name(problem.data.idxImages);
        this.idxLabels = name(problem.data.idxLabels);
        this.judge = name(problem.judge.file);
        this.judgeInput = problem.judge.input;
        this.judgeProbs = problem.judge.probs;
        this.judgeFeatures = problem.judge.features;
        this.forgetClasses = List.copyOf(problem.classes);
        this.solver = solver;
        this.evalSteps = evalSteps;
        this.perKept = perKept;
        this.perForget = perForget;
        this.cache = name(cache);
    }

    /**
     * Loads and checks everything the candidates need (model and spec, data, classes, judge), so that
     * bad input fails before the sweep writes anything.
     *
     * @throws IllegalArgumentException naming the first bad input
     */
    void check() throws IOException {
        judgeOptions().validate();
        split();
        scorer();
    }

    private static String name(Path p) {
        return p == null ? null : p.toString();
    }

    private static Path path(String s) {
        return s == null ? null : Path.of(s);
    }

    private synchronized ShippedAssets.LoadedModel loaded() throws IOException {
        if (loaded == null) {
            loaded = ModelOptions.of(path(model), path(spec), path(schedule)).load();
        }
        return loaded;
    }

    private synchronized DataOptions.Dataset dataset() throws IOException {
        if (dataset == null) {
            dataset = DataOptions.of(path(data), path(idxImages), path(idxLabels)).load(loaded().graph().imageShape());
        }
        return dataset;
    }

    private JudgeOptions judgeOptions() {
        return JudgeOptions.of(path(judge), judgeInput, judgeProbs, judgeFeatures);
    }

    private List<Integer> forgetIndices() throws IOException {
        return ForgetOptions.classIndices(forgetClasses, dataset());
    }

    @Override
    public DiffusionGraph baseModel() throws IOException {
        return loaded().graph();
    }

    @Override
    public ForgetRemainSplit split() throws IOException {
        return ForgetRemainSplit.byClasses(dataset().images(), forgetIndices());
    }

    @Override
    public ScheduleConfig schedule() {
        try {
            return loaded().card().schedule();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("the model cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public SweepScorer scorer() throws IOException {
        SamplerConfig sampler = EvalDefaults.sampler(solver, evalSteps, SamplerConfig.DEFAULT_GUIDANCE_SCALE);
        List<Integer> forgotten = forgetIndices();
        int[] forget = forgotten.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
        int[] kept = IntStream.range(0, dataset().classNames().size()).filter(c -> !forgotten.contains(c)).toArray();
        return new EvaluatorScorer(judgeOptions().evaluator(schedule(), sampler, 5 * perKept, path(cache),
                dataset().images()), kept, perKept, forget, perForget, 7);
    }
}
