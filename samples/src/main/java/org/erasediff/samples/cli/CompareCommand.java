package org.erasediff.samples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.optim.UpdaterSettings;
import org.erasediff.core.unlearn.BaselineConfig;
import org.erasediff.core.unlearn.BaselineMethod;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.core.unlearn.LambdaRule;
import org.erasediff.dl4j.checkpoint.AtomicFiles;
import org.erasediff.dl4j.checkpoint.CheckpointStore;
import org.erasediff.dl4j.checkpoint.GraphFiles;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.listen.MetricsHistoryListener;
import org.erasediff.dl4j.listen.StepMetrics;
import org.erasediff.dl4j.unlearn.BaselineUnlearner;
import org.erasediff.dl4j.unlearn.EraseDiffUnlearner;
import org.erasediff.dl4j.unlearn.Unlearner;
import org.erasediff.dl4j.unlearn.UnlearningResult;
import org.erasediff.eval.generate.ModelEvaluator;
import org.erasediff.eval.metrics.PeakMemory;
import org.erasediff.eval.metrics.WeightDistance;
import org.erasediff.eval.report.ChartSpec;
import org.erasediff.eval.report.EvaluationReport;
import org.erasediff.eval.report.EvaluationReportWriter;
import org.erasediff.eval.report.ImageGrid;
import org.erasediff.eval.report.LabelledPoint;
import org.erasediff.eval.report.ModelEvaluation;
import org.erasediff.eval.report.Plots;
import org.erasediff.samples.ModelCard;
import org.erasediff.samples.ShippedAssets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code erasediff compare}: every unlearning method on one base model and forget set, with the
 * same seeds, beside the unscrubbed model and the Retrain model (when there is one); one report.
 * The shipped MNIST model, data and judges by default, or the user's model, data and judge (the
 * options {@code unlearn} takes).
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Unlearns the forgotten classes with EraseDiff (both modes) and every baseline from the shipped "
                + "MNIST model (or yours: --model, --spec, --data, --judge, as unlearn takes them) with the same seeds "
                + "and batches, evaluates each beside the unscrubbed model and the Retrain model (the shipped one for "
                + "digit 0 of the shipped model, or --retrain), and writes one report. A method whose result exists "
                + "in the output folder is not rerun; one interrupted resumes from its newest checkpoint.")
final class CompareCommand implements Callable<Integer> {

    /** Every method, in report order. */
    static final List<String> METHODS = List.of("erasediff", "erasediff_reference", "finetune", "neggrad", "blindspot",
            "sa", "salun", "esd");
    private static final String RETRAIN_0 = "mnist-ddpm-retrain-0.fb";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A finished method's cost figures and provenance, beside its {@code model.fb}. */
    private static final String RUN_FILE = "run.json";

    @Mixin
    ClassForgetOptions problem;

    @Option(names = "--methods", split = ",", description = "Methods to run (default: all of " + "erasediff, "
            + "erasediff_reference, finetune, neggrad, blindspot, sa, salun, esd).")
    List<String> methods;

    @Option(names = "--steps", defaultValue = "200", description = "Steps of every method (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--lr", defaultValue = "" + EraseDiffOptions.PRESET_LR, description = "Adam learning rate of every method (default ${DEFAULT-VALUE}, the unlearn preset).")
    double lr;

    @Option(names = "--lambda", defaultValue = "" + EraseDiffOptions.PRESET_LAMBDA, description = "EraseDiff's fixed λ (default ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = "--method-lr", paramLabel = "METHOD=LR", description = "One method's own Adam learning rate in "
            + "place of --lr (repeatable), e.g. --method-lr neggrad=1e-5.")
    Map<String, Double> methodLr = new LinkedHashMap<>();

    @Option(names = "--method-weight", paramLabel = "METHOD=W", description = "One baseline's own weight (repeatable): "
            + "sa=λ of its Fisher penalty (default 10), salun=α of its remaining loss (default 1e-3), esd=η of its "
            + "negative guidance (default 1), e.g. --method-weight sa=0.01.")
    Map<String, Double> methodWeight = new LinkedHashMap<>();

    @Option(names = "--remain-batch", defaultValue = "64", description = "Remain batch size (default ${DEFAULT-VALUE}).")
    int remainBatch;

    @Option(names = "--forget-batch", defaultValue = "64", description = "Forget batch size (default ${DEFAULT-VALUE}).")
    int forgetBatch;

    @Option(names = "--reference-steps-per-round", defaultValue = "100", description = "Outer steps per round of "
            + "erasediff_reference (default ${DEFAULT-VALUE}: 2 rounds in 200 steps; each round's 2 inner epochs pass "
            + "over the whole forget set).")
    int referenceStepsPerRound;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of every method (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--retrain", paramLabel = "FILE", description = "Retrain model: trained without the forgotten "
            + "classes, a model this CLI wrote (with <model>.json, e.g. by train --exclude-class). Default: the shipped "
            + "one when digit 0 is forgotten from the shipped model; otherwise none (no Retrain row, no weight distance).")
    Path retrain;

    @Mixin
    EvalSamplerOptions evalSampler = new EvalSamplerOptions();

    @Mixin
    CheckpointOptions checkpoints = new CheckpointOptions();

    @Option(names = "--eval-per-class", defaultValue = "50", description = "Images per kept digit (default ${DEFAULT-VALUE}).")
    int perKept;

    @Option(names = "--eval-forget", defaultValue = "200", description = "Images per forgotten digit (default ${DEFAULT-VALUE}).")
    int perForget;

    @Option(names = "--cache", defaultValue = "runs/sample-cache", description = "Sample cache folder (default ${DEFAULT-VALUE}).")
    Path cache;

    @Option(names = "--out", defaultValue = "runs/compare", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--json", description = "Print the figures as one JSON object on the last line.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** Each chosen method's config as JSON, filled as its unlearner is built. */
    private final Map<String, String> configs = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        List<String> chosen = methods == null ? METHODS : methods;
        for (String m : chosen) {
            if (!METHODS.contains(m)) {
                throw new IllegalArgumentException("unknown method '" + m + "': use " + String.join(", ", METHODS));
            }
        }
        for (Map<String, Double> perMethod : List.of(methodLr, methodWeight)) {
            for (String m : perMethod.keySet()) {
                if (!chosen.contains(m)) {
                    throw new IllegalArgumentException((perMethod == methodLr ? "--method-lr " : "--method-weight ") + m
                            + ": not one of the methods run (" + String.join(", ", chosen) + ")");
                }
            }
        }
        problem.judge.validate();
        checkpoints.every();
        ShippedAssets.LoadedModel base = problem.model.load();
        DataOptions.Dataset d = problem.data.load(base.graph().imageShape());
        List<Integer> forgetIndices = problem.classIndices(d);
        ForgetRemainSplit split = ForgetRemainSplit.byClasses(d.images(), forgetIndices);
        Set<Integer> forgotten = Set.copyOf(forgetIndices);
        // every method's config is built (and validated) before any work
        Map<String, Unlearner> unlearners = new LinkedHashMap<>();
        for (String m : chosen) {
            unlearners.put(m, unlearner(m, base, out.resolve(m)));
        }
        // and every finished result is checked against it, before any evaluation
        Map<String, Map<String, Object>> finished = new LinkedHashMap<>();
        for (String m : chosen) {
            Map<String, Object> run = finishedRun(m, out.resolve(m));
            if (run != null) {
                finished.put(m, run);
            }
        }
        int[] kept = IntStream.range(0, d.classNames().size()).filter(c -> !forgotten.contains(c)).toArray();
        int[] measured = split.forgetClasses();
        ModelEvaluator evaluator = problem.judge.evaluator(base.card().schedule(), evalSampler.sampler(), 5 * perKept,
                cache, d.images());
        Evaluation eval = (name, graph, sha) -> evaluator.evaluate(name, graph, sha, graph.imageShape(), kept, perKept,
                measured, perForget, 7);
        ShippedAssets.LoadedModel retrainModel = retrainModel(forgetIndices);
        if (retrainModel != null) {
            try {
                WeightDistance.compare(parameters(retrainModel.graph()), parameters(base.graph()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--retrain " + retrain + " is not a model of the same shape: "
                        + e.getMessage(), e);
            }
        }

        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        List<ModelEvaluator.Evaluated> evaluated = new ArrayList<>();
        ModelEvaluator.Evaluated unscrubbed = eval.run("unscrubbed", base.graph(), base.sha256());
        evaluated.add(unscrubbed);
        rows.put("unscrubbed", row(unscrubbed, base.graph(), retrainModel, null));
        if (retrainModel != null) {
            ModelEvaluator.Evaluated r = eval.run("retrain", retrainModel.graph(), retrainModel.sha256());
            evaluated.add(r);
            rows.put("retrain", row(r, retrainModel.graph(), retrainModel, null));
        }
        for (String method : chosen) {
            Path dir = out.resolve(method);
            Path modelFile = dir.resolve("model.fb");
            Map<String, Object> run = finished.get(method);
            if (run == null) {
                run = unlearn(method, unlearners.get(method), base, split, dir, modelFile);
                AtomicFiles.writeString(dir.resolve(RUN_FILE),
                        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(run));
            }
            DiffusionGraph graph = base.card().wrap(GraphFiles.load(modelFile, false));
            ModelEvaluator.Evaluated e = eval.run(method, graph, GraphFiles.sha256(modelFile));
            evaluated.add(e);
            rows.put(method, row(e, graph, retrainModel, run));
            graph.releasePredictionMemory();
        }
        writeReport(out.resolve("report"), evaluated, rows, forgotten, evaluator, d);
        JsonOutput.print(Map.of("methods", rows), json);
        return 0;
    }

    /** Runs one method, saves its model atomically, and returns its cost figures. */
    private static Map<String, Object> unlearn(String method, Unlearner unlearner, ShippedAssets.LoadedModel base,
                                               ForgetRemainSplit split, Path dir, Path modelFile) throws IOException {
        Files.createDirectories(dir);
        PeakMemory.resetPeakRss();
        UnlearningResult r = unlearner.unlearn(base.graph(), split);
        if (Files.exists(modelFile)) {
            Files.delete(modelFile); // a model without its run.json is a half-finished earlier attempt
        }
        GraphFiles.save(r.model().sameDiff(), modelFile, false);
        Map<String, Object> run = new LinkedHashMap<>();
        double[] perStep = r.history().stream().mapToDouble(StepMetrics::seconds).filter(Double::isFinite).sorted()
                .toArray();
        run.put("seconds_per_step", perStep.length == 0 ? Double.NaN : perStep[perStep.length / 2]);
        run.put("seconds", r.seconds());
        run.put("setup_seconds", r.setupSeconds());
        if (method.equals("sa")) {
            run.put("fisher_seconds", r.setupSeconds());
        }
        run.put("peak_rss_mb", PeakMemory.peakRssBytes().orElse(-1) / (1024.0 * 1024.0));
        run.put("steps", r.history().size());
        run.put("provenance", r.provenance());
        return run;
    }

    /**
     * The finished result of {@code method} in {@code dir} (its {@code run.json} and model), or null
     * when it has none.
     *
     * @throws IllegalArgumentException if the result was run with settings other than the method's now
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> finishedRun(String method, Path dir) throws IOException {
        Path resultFile = dir.resolve(RUN_FILE);
        if (!Files.isRegularFile(resultFile) || !Files.isRegularFile(dir.resolve("model.fb"))) {
            return null;
        }
        Map<String, Object> run = JSON.readValue(resultFile.toFile(), LinkedHashMap.class);
        if (!ranWith(run, configs.get(method))) {
            throw new IllegalArgumentException(dir + " holds a " + method + " result run with other settings: "
                    + "give another --out, or remove that folder to rerun it");
        }
        return run;
    }

    /** Whether a finished result's recorded config is {@code configJson} (the method's config now). */
    private static boolean ranWith(Map<String, Object> run, String configJson) throws IOException {
        JsonNode now = JSON.readTree(configJson);
        JsonNode recorded = JSON.readTree(JSON.writeValueAsString(run.get("provenance"))).path("config");
        for (Iterator<Map.Entry<String, JsonNode>> it = recorded.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("schedule") && e.getValue().equals(now)) {
                return true;
            }
        }
        return false;
    }

    /** Builds one method's unlearner (validating its config) and records the config in {@link #configs}. */
    private Unlearner unlearner(String method, ShippedAssets.LoadedModel base, Path dir) {
        CheckpointStore ck = new CheckpointStore(dir.resolve("checkpoints"), 2);
        MetricsHistoryListener history = new MetricsHistoryListener(dir.resolve("history"), 25);
        double lr = methodLr.getOrDefault(method, this.lr);
        if (methodLr.containsKey(method) && !(lr > 0 && Double.isFinite(lr))) {
            throw new IllegalArgumentException("--method-lr " + method + ": must be > 0 and finite, was " + lr);
        }
        if (method.startsWith("erasediff")) {
            if (methodWeight.containsKey(method)) {
                throw new IllegalArgumentException("--method-weight " + method + ": EraseDiff's weight is --lambda");
            }
            EraseDiffConfig cfg = EraseDiffConfig.builder().optOuterSteps(steps).optUpdater(UpdaterSettings.adam(lr))
                    .optLambdaRule(new LambdaRule.Fixed(lambda)).optRemainBatchSize(remainBatch)
                    .optForgetBatchSize(forgetBatch).optSeed(seed)
                    .optMode(method.equals("erasediff") ? EraseDiffConfig.Mode.FAITHFUL
                            : EraseDiffConfig.Mode.REFERENCE_COMPATIBLE)
                    .optReferenceOuterStepsPerRound(referenceStepsPerRound).build();
            configs.put(method, cfg.toJson());
            return EraseDiffUnlearner.builder(cfg).optSchedule(base.card().schedule())
                    .optCheckpoints(ck, checkpoints.every())
                    .addListeners(history).optProvenance("input_model_sha256", base.sha256()).build();
        }
        BaselineMethod m = switch (method) {
            case "finetune" -> new BaselineMethod.Finetune();
            case "neggrad" -> new BaselineMethod.NegGrad();
            case "blindspot" -> new BaselineMethod.BlindSpot();
            case "sa" -> new BaselineMethod.SelectiveAmnesia();
            case "salun" -> new BaselineMethod.SalUn();
            case "esd" -> new BaselineMethod.Esd();
            default -> throw new IllegalArgumentException("unknown method " + method);
        };
        if (methodWeight.containsKey(method)) {
            try {
                m = m.withWeight(methodWeight.get(method));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--method-weight " + method + ": " + e.getMessage(), e);
            }
        }
        BaselineConfig cfg = BaselineConfig.builder(m).optSteps(steps).optUpdater(UpdaterSettings.adam(lr))
                .optRemainBatchSize(remainBatch).optForgetBatchSize(forgetBatch).optSeed(seed).build();
        configs.put(method, cfg.toJson());
        return BaselineUnlearner.builder(cfg).optSchedule(base.card().schedule())
                .optCheckpoints(ck, checkpoints.every())
                .addListeners(history).optProvenance("input_model_sha256", base.sha256()).build();
    }

    /** The evaluation's figures, the weight distance to Retrain and the run's cost figures. */
    private static Map<String, Object> row(ModelEvaluator.Evaluated e, DiffusionGraph graph,
                                           ShippedAssets.LoadedModel retrainModel, Map<String, Object> run) {
        Map<String, Object> row = new LinkedHashMap<>(ModelEvaluator.figures(e.evaluation()));
        row.remove("per_class_accuracy");
        row.put("accuracy_remain", row.remove("accuracy"));
        row.put("fid_remain", row.remove("fid"));
        row.put("kid_remain", row.remove("kid"));
        if (retrainModel != null) {
            row.put("weight_distance_to_retrain", WeightDistance.compare(parameters(retrainModel.graph()),
                    parameters(graph)).l2());
        }
        if (run != null) {
            run.forEach((k, v) -> {
                if (!k.equals("provenance")) {
                    row.put(k, v);
                }
            });
        }
        return row;
    }

    private static Map<String, org.nd4j.linalg.api.ndarray.INDArray> parameters(DiffusionGraph g) {
        Map<String, org.nd4j.linalg.api.ndarray.INDArray> p = new LinkedHashMap<>();
        for (String n : DiffusionGraph.parameterNames(g.sameDiff())) {
            p.put(n, g.sameDiff().getArrForVarName(n));
        }
        return p;
    }

    /**
     * The Retrain model: {@code --retrain}, or the shipped one when forgetting digit 0 alone from the
     * shipped model and data; else none.
     */
    private ShippedAssets.LoadedModel retrainModel(List<Integer> forgetIndices) throws IOException {
        if (retrain != null) {
            return ShippedAssets.diffusionModel(retrain);
        }
        if (problem.model.model != null || !problem.data.shipped() || !forgetIndices.equals(List.of(0))) {
            return null;
        }
        String path = ShippedAssets.MODELS + RETRAIN_0;
        byte[] bytes;
        try (InputStream in = CompareCommand.class.getResourceAsStream(path)) {
            if (in == null) {
                return null;
            }
            bytes = in.readAllBytes();
        }
        ModelCard card;
        try (InputStream in = CompareCommand.class.getResourceAsStream(path + ".json")) {
            card = ModelCard.read(in, "shipped " + RETRAIN_0 + ".json");
        }
        String sha = java.util.HexFormat.of().formatHex(sha256(bytes));
        return new ShippedAssets.LoadedModel(card.wrap(GraphFiles.load(new java.io.ByteArrayInputStream(bytes),
                "shipped " + RETRAIN_0, false)), card, sha);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void writeReport(Path dir, List<ModelEvaluator.Evaluated> evaluated, Map<String, Map<String, Object>> rows,
                             Set<Integer> forgotten, ModelEvaluator evaluator, DataOptions.Dataset d) throws IOException {
        Map<String, java.awt.image.RenderedImage> figures = new LinkedHashMap<>();
        int columns = Math.min(12, Math.min(perKept, perForget));
        ImageGrid grid = ImageGrid.builder(d.classNames().size()).optScale(2).optLabelColumn(true).optColumns(columns)
                .optClassNames(d.classNames()).optForgottenClasses(forgotten).build();
        List<ModelEvaluation> models = new ArrayList<>();
        List<LabelledPoint> points = new ArrayList<>();
        for (ModelEvaluator.Evaluated e : evaluated) {
            String name = e.evaluation().name();
            figures.put(name + ".png", grid.render(SampleGrids.images(e, columns),
                    SampleGrids.labels(e, columns)));
            ModelEvaluation.Builder b = ModelEvaluation.builder(name).metrics(e.evaluation().metrics())
                    .perClass(e.evaluation().perClass());
            rows.get(name).forEach((k, v) -> {
                if (v instanceof Number n && !e.evaluation().metrics().containsKey(k) && !k.endsWith("_remain")) {
                    b.metric(k, n.doubleValue());
                }
            });
            models.add(b.build());
            if (e.evaluation().metrics().containsKey("p_forget")) {
                points.add(new LabelledPoint(name, e.evaluation().metric("fid"), e.evaluation().metric("p_forget")));
            }
        }
        figures.put("forgetting_vs_quality.png", Plots.scatter(ChartSpec.builder("Forgetting vs quality",
                "FID on kept classes", "P(forgotten class)").build(), points));
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("command", CommandLines.of(spec));
        provenance.put("input_model", problem.model.describe());
        provenance.put(EvaluationReport.JUDGES, evaluator.judges());
        provenance.put("forgotten", forgotten);
        new EvaluationReportWriter().write(dir, new EvaluationReport("Unlearning methods on "
                + (problem.data.shipped() ? "MNIST" : d.images().name()), models, provenance), figures);
    }

    /** Evaluates one model. */
    @FunctionalInterface
    private interface Evaluation {
        ModelEvaluator.Evaluated run(String name, DiffusionGraph graph, String sha) throws IOException;
    }

}
