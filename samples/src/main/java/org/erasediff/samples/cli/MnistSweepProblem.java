package org.erasediff.samples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.data.Mnist;
import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.sampling.Solver;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.sweep.SweepProblem;
import org.erasediff.dl4j.sweep.SweepScorer;
import org.erasediff.eval.sweep.EvaluatorScorer;
import org.erasediff.samples.ShippedAssets;

/**
 * The MNIST sweep problem: forgetting digits from the shipped model (or a given one) on the MNIST
 * training set, scored by the shared evaluator (ψ, ψ_SA, FID on the kept digits) with the
 * commands' evaluation sampler. Holds only names and numbers, so a cluster can rebuild it on any
 * machine that has the samples jar.
 */
final class MnistSweepProblem implements SweepProblem {

    private static final long serialVersionUID = 1L;

    private final String model;
    private final List<Integer> forgetClasses;
    private final Solver solver;
    private final int evalSteps;
    private final int perKept;
    private final int perForget;
    private final String cache;
    private transient ShippedAssets.LoadedModel loaded;

    /**
     * @param model         model file (with its card), or {@code null} for the shipped one
     * @param forgetClasses the digits to forget
     * @param solver        evaluation sampler
     * @param evalSteps     evaluation sampling steps
     * @param perKept       images generated per kept digit
     * @param perForget     images generated per forgotten digit
     * @param cache         sample cache folder, or {@code null} for none
     */
    MnistSweepProblem(Path model, List<Integer> forgetClasses, Solver solver, int evalSteps, int perKept,
                      int perForget, Path cache) {
        this.model = model == null ? null : model.toString();
        this.forgetClasses = List.copyOf(forgetClasses);
        this.solver = solver;
        this.evalSteps = evalSteps;
        this.perKept = perKept;
        this.perForget = perForget;
        this.cache = cache == null ? null : cache.toString();
    }

    private synchronized ShippedAssets.LoadedModel loaded() throws IOException {
        if (loaded == null) {
            loaded = ShippedAssets.diffusionModel(model == null ? null : Path.of(model));
        }
        return loaded;
    }

    @Override
    public DiffusionGraph baseModel() throws IOException {
        return loaded().graph();
    }

    @Override
    public ForgetRemainSplit split() {
        return ForgetRemainSplit.byClasses(ShippedAssets.mnist(Mnist.Split.TRAIN), forgetClasses);
    }

    @Override
    public ScheduleConfig schedule() {
        try {
            return loaded().card().schedule();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("the model card cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public SweepScorer scorer() throws IOException {
        SamplerConfig sampler = EvalDefaults.sampler(solver, evalSteps, SamplerConfig.DEFAULT_GUIDANCE_SCALE);
        int[] forget = forgetClasses.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
        int[] kept = IntStream.range(0, Mnist.CLASSES).filter(c -> !forgetClasses.contains(c)).toArray();
        return new EvaluatorScorer(MnistEvaluators.create(schedule(), sampler, 5 * perKept,
                cache == null ? null : Path.of(cache)), kept, perKept, forget, perForget, 7);
    }
}
