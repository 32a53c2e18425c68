package org.erasediff.samples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.data.Mnist;
import org.erasediff.core.optim.UpdaterSettings;
import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.core.unlearn.ForgetTarget;
import org.erasediff.core.unlearn.LambdaRule;
import org.erasediff.dl4j.checkpoint.CheckpointStore;
import org.erasediff.dl4j.checkpoint.GraphFiles;
import org.erasediff.dl4j.listen.MetricsHistoryListener;
import org.erasediff.dl4j.unlearn.EraseDiffUnlearner;
import org.erasediff.dl4j.listen.StepMetrics;
import org.erasediff.dl4j.unlearn.UnlearningResult;
import org.erasediff.eval.generate.ModelEvaluator;
import org.erasediff.eval.report.ChartSpec;
import org.erasediff.eval.report.EvaluationReport;
import org.erasediff.eval.report.EvaluationReportWriter;
import org.erasediff.eval.report.ImageGrid;
import org.erasediff.eval.report.LabelledPoint;
import org.erasediff.eval.report.Plots;
import org.erasediff.eval.report.Series;
import org.erasediff.samples.ModelCard;
import org.erasediff.samples.ShippedAssets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code erasediff unlearn}: EraseDiff on the MNIST model, with a before/after evaluation. */
@Command(name = "unlearn", mixinStandardHelpOptions = true,
        description = "Unlearns digits (or individual training images) from the MNIST diffusion model with EraseDiff "
                + "and compares the model before and after: P(forgotten digit), entropy, accuracy on the other digits.")
final class UnlearnCommand implements Callable<Integer> {

    @Option(names = "--forget-class", split = ",", description = "Digit(s) to forget, e.g. 0 or 3,8.")
    List<Integer> forgetClasses;

    @Option(names = "--forget-ids", split = ",", description = "Training-image ids (indices in the MNIST training file) to forget.")
    List<Integer> forgetIds;

    @Option(names = "--model", description = "Model file (with <model>.json) instead of the shipped one; never modified.")
    Path model;

    @Option(names = "--output", defaultValue = "runs/unlearned/model.fb", description = "Where to write the unlearned model (default ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--steps", defaultValue = "200", description = "Outer steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--no-ema-warmup", description = "Keep the EMA decay at 0.99 from the first step (without warm-up "
            + "0.99^200 ≈ 13 % of the returned weights are the original model's).")
    boolean noEmaWarmup;

    // MNIST preset, measured (README): with the paper's 1e-4 and λ 0.1 the shipped model still drew the digit
    // (P 0.94 after 200 steps); 2e-3 and λ 1 forget it (P 0.01) while keeping the other digits' accuracy.
    @Option(names = "--lr", defaultValue = "2e-3", description = "Adam learning rate (default ${DEFAULT-VALUE}, the MNIST "
            + "preset; the library's default is the paper's 1e-4).")
    double lr;

    @Option(names = "--lambda", defaultValue = "1.0", description = "Fixed λ (default ${DEFAULT-VALUE}, the MNIST preset; "
            + "the library's default is the paper's 0.1).")
    double lambda;

    @Option(names = "--target", defaultValue = "uniform", converter = ForgetTargetConverter.class,
            description = "Forgetting target: uniform (ε̂ ~ U[0,1), the paper's DDPM default), random-other (pseudo-label: "
                    + "the model's own prediction for a random other class per batch, as in the reference code since 2024), "
                    + "random-other-per-sample (the same with one random other class per image), "
                    + "class:<c> (pseudo-label: a fixed other class), anchor:<c> (pseudo-label: a chosen anchor label, "
                    + "e.g. the null label -1), shifted:<μ> (N(μ, I)). Default ${DEFAULT-VALUE}.")
    ForgetTarget target;

    @Option(names = "--remain-batch", defaultValue = "64", description = "Remain batch size (default ${DEFAULT-VALUE}).")
    int remainBatch;

    @Option(names = "--forget-batch", defaultValue = "64", description = "Forget batch size (default ${DEFAULT-VALUE}).")
    int forgetBatch;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the unlearning run (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--eval-forget", defaultValue = "500", description = "Images generated per forgotten digit (default ${DEFAULT-VALUE}).")
    int perForget;

    @Option(names = "--eval-per-class", defaultValue = "100", description = "Images generated per kept digit (default ${DEFAULT-VALUE}).")
    int perKept;

    @Option(names = "--eval-steps", defaultValue = "" + EvalDefaults.STEPS,
            description = "Sampling steps for evaluation (default ${DEFAULT-VALUE}).")
    int evalSteps;

    @Option(names = "--eval-solver", defaultValue = EvalDefaults.SOLVER, converter = EvalDefaults.SolverConverter.class,
            description = "Sampler for evaluation: ddim or dpm-solver++ (default ${DEFAULT-VALUE}).")
    org.erasediff.core.sampling.Solver evalSolver;

    @Option(names = "--no-eval", description = "Skip the before/after evaluation.")
    boolean noEval;

    @Option(names = "--cache", defaultValue = "runs/sample-cache", description = "Sample cache folder (default ${DEFAULT-VALUE}).")
    Path cache;

    @Option(names = "--json", description = "Print the figures as one JSON object on the last line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if ((forgetClasses == null) == (forgetIds == null)) {
            throw new IllegalArgumentException("give exactly one of --forget-class or --forget-ids");
        }
        if (model != null && output.toAbsolutePath().normalize().equals(model.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--output must differ from --model: input models are never overwritten");
        }
        if (Files.exists(output)) {
            throw new IllegalArgumentException("output " + output + " exists: choose a new file or delete it first");
        }
        ShippedAssets.LoadedModel m = ShippedAssets.diffusionModel(model);
        LabelledImages train = ShippedAssets.mnist(Mnist.Split.TRAIN);
        ForgetRemainSplit split = forgetClasses != null ? ForgetRemainSplit.byClasses(train, forgetClasses)
                : ForgetRemainSplit.bySampleIds(train, forgetIds);
        EraseDiffConfig cfg = EraseDiffConfig.builder().optOuterSteps(steps).optUpdater(UpdaterSettings.adam(lr))
                .optLambdaRule(new LambdaRule.Fixed(lambda)).optRemainBatchSize(remainBatch)
                .optForgetBatchSize(forgetBatch).optForgetTarget(target).optSeed(seed).optEmaWarmup(!noEmaWarmup).build();
        Path runDir = output.toAbsolutePath().getParent();
        MetricsHistoryListener history = new MetricsHistoryListener(runDir.resolve("history"), 25);
        EraseDiffUnlearner unlearner = EraseDiffUnlearner.builder(cfg).optSchedule(m.card().schedule())
                .optCheckpoints(new CheckpointStore(runDir.resolve("checkpoints"), 2), 50)
                .addListeners(history)
                .optProvenance("input_model_sha256", m.sha256()).build();

        UnlearningResult r = unlearner.unlearn(m.graph(), split);
        GraphFiles.save(r.model().sameDiff(), output, false);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("provenance", r.provenance());
        training.put("seconds", r.seconds());
        new ModelCard(m.card().unet(), m.card().spec(), m.card().schedule(), training, Versions.all(),
                GraphFiles.sha256(output), Instant.now().toString()).write(Path.of(output + ".json"));

        Map<String, Object> out = new LinkedHashMap<>();
        if (!noEval) {
            long e0 = System.nanoTime();
            int[] forget = split.forgetClasses();
            Set<Integer> forgotten = forgetClasses != null ? Set.copyOf(forgetClasses) : Set.of();
            int[] kept = IntStream.range(0, Mnist.CLASSES).filter(c -> !forgotten.contains(c)).toArray();
            int[] measured = forgetClasses != null ? forget : new int[0];
            SamplerConfig sampler = EvalDefaults.sampler(evalSolver, evalSteps, SamplerConfig.DEFAULT_GUIDANCE_SCALE);
            ModelEvaluator evaluator = MnistEvaluators.create(m.card().schedule(), sampler, 5 * perKept, cache);
            ModelEvaluator.Evaluated before = evaluator.evaluate("before", m.graph(), m.sha256(),
                    m.graph().imageShape(), kept, perKept, measured, perForget, 7);
            m.graph().releasePredictionMemory();
            ModelEvaluator.Evaluated after = evaluator.evaluate("after", r.model(), GraphFiles.sha256(output),
                    r.model().imageShape(), kept, perKept, measured, perForget, 7);
            double evalSeconds = (System.nanoTime() - e0) / 1e9;
            out.put("before", summary(before));
            out.put("after", summary(after));
            out.put("eval_seconds", evalSeconds);
            writeReport(runDir.resolve("report"), before, after, r, forgotten, m.sha256(),
                    measured.length > 0 ? evaluator.judges() : null);
        }
        out.put("seconds", r.seconds());
        out.put("steps", r.history().size());
        out.put("output", output.toString());
        JsonOutput.print(out, json);
        return 0;
    }

    /** The figures of one model in the command's JSON ({@code before} / {@code after}). */
    static Map<String, Object> summary(ModelEvaluator.Evaluated e) {
        Map<String, Object> s = new LinkedHashMap<>();
        var metrics = e.evaluation().metrics();
        if (metrics.containsKey("p_forget")) {
            s.put("p_forget", metrics.get("p_forget"));
            s.put("entropy_forget", metrics.get("entropy_forget"));
            s.put("argmax_forget", metrics.get("argmax_forget"));
            // the same under ψ_SA (Selective Amnesia's judge), and the forgotten digit's FID against its real images
            for (String k : List.of("p_forget_sa", "entropy_forget_sa", "argmax_forget_sa", "fid_forget")) {
                if (metrics.containsKey(k)) {
                    s.put(k, metrics.get(k));
                }
            }
        }
        s.put("accuracy_remain", metrics.get("accuracy"));
        s.put("fid_remain", metrics.get("fid"));
        s.put("kid_remain", metrics.get("kid"));
        return s;
    }

    private void writeReport(Path dir, ModelEvaluator.Evaluated before, ModelEvaluator.Evaluated after,
                             UnlearningResult r, Set<Integer> forgotten, String inputSha,
                             List<Map<String, Object>> judges) throws Exception {
        Map<String, java.awt.image.RenderedImage> figures = new LinkedHashMap<>();
        int columns = Math.min(12, before.forgetImages() != null ? Math.min(perKept, perForget) : perKept);
        ImageGrid grid = ImageGrid.builder(Mnist.CLASSES).optScale(2).optLabelColumn(true).optColumns(columns)
                .optForgottenClasses(forgotten).build();
        figures.put("before.png", grid.render(SampleGrids.images(before, columns),
                SampleGrids.labels(before, columns)));
        figures.put("after.png", grid.render(SampleGrids.images(after, columns), SampleGrids.labels(after, columns)));
        List<StepMetrics> h = r.history();
        figures.put("losses.png", Plots.lineChart(ChartSpec.builder("EraseDiff losses", "step", "loss").build(),
                List.of(Series.of("L_r", h.stream().mapToDouble(StepMetrics::remainLoss).toArray()),
                        Series.of("L_f", h.stream().mapToDouble(StepMetrics::forgetLoss).toArray()))));
        List<Series> lambdaQ = new ArrayList<>();
        lambdaQ.add(Series.of("λ", h.stream().mapToDouble(StepMetrics::lambda).toArray()));
        double[] q = h.stream().mapToDouble(StepMetrics::q).toArray();
        if (java.util.Arrays.stream(q).allMatch(Double::isFinite)) {
            lambdaQ.add(Series.of("q", q));
        }
        figures.put("lambda_q.png", Plots.lineChart(ChartSpec.builder("λ and q per step", "step", "value").build(),
                lambdaQ));
        if (before.evaluation().metrics().containsKey("p_forget")) {
            figures.put("forgetting_vs_quality.png", Plots.scatter(
                    ChartSpec.builder("Forgetting vs quality", "FID on kept digits", "P(forgotten digit)").build(),
                    List.of(new LabelledPoint("before", before.evaluation().metric("fid"),
                                    before.evaluation().metric("p_forget")),
                            new LabelledPoint("after", after.evaluation().metric("fid"),
                                    after.evaluation().metric("p_forget")))));
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("run", r.provenance());
        provenance.put("input_model_sha256", inputSha);
        provenance.put("unlearning_seconds", r.seconds());
        provenance.put("command", "./erasediff unlearn " + (forgetClasses != null
                ? "--forget-class " + forgetClasses.stream().map(String::valueOf).collect(Collectors.joining(","))
                : "--forget-ids ..."));
        if (judges != null) {
            provenance.put(EvaluationReport.JUDGES, judges);
        }
        new EvaluationReportWriter().write(dir, new EvaluationReport("EraseDiff on MNIST",
                List.of(before.evaluation(), after.evaluation()), provenance), figures);
    }
}
