package org.erasediff.samples.cli;

import java.awt.image.RenderedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.sampling.NoisePredictor;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.dl4j.checkpoint.AtomicFiles;
import org.erasediff.dl4j.checkpoint.CheckpointStore;
import org.erasediff.dl4j.checkpoint.GraphFiles;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.listen.ForgettingTargetStop;
import org.erasediff.dl4j.listen.MetricsHistoryListener;
import org.erasediff.dl4j.listen.StepMetrics;
import org.erasediff.dl4j.unlearn.EraseDiffUnlearner;
import org.erasediff.dl4j.unlearn.UnlearningResult;
import org.erasediff.eval.deletion.DeletionEvidenceCollector;
import org.erasediff.eval.deletion.DeletionReport;
import org.erasediff.eval.deletion.DeletionReportWriter;
import org.erasediff.eval.deletion.DeletionRequest;
import org.erasediff.eval.generate.ModelEvaluator;
import org.erasediff.eval.metrics.ClassTransitions;
import org.erasediff.eval.report.ChartSpec;
import org.erasediff.eval.report.EvaluationReport;
import org.erasediff.eval.report.EvaluationReportWriter;
import org.erasediff.eval.report.ImageGrid;
import org.erasediff.eval.report.LabelledPoint;
import org.erasediff.eval.report.Plots;
import org.erasediff.eval.report.Series;
import org.erasediff.samples.ModelCard;
import org.erasediff.samples.ShippedAssets;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One EraseDiff run as {@code unlearn} and {@code demo} do it: every input loaded and validated
 * first; then, in a new run folder, the settings used ({@code config.json}), the unlearned model
 * ({@code model.fb} with its card {@code model.fb.json}), history and checkpoints, and — unless
 * evaluation is off — the before/after evaluation with its report ({@code report/}). A request
 * for individual images (sample ids) is evidenced image by image before and after — near-copies
 * among generated images, a membership-inference attack, accuracy and FID — in the deletion report
 * ({@code deletion-report.json}, {@code deletion-report.md}).
 */
final class UnlearnJob {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** The settings file of a run folder. */
    static final String CONFIG = "config.json";

    /** Sampling seed of the before/after evaluation (the same for both models). */
    private static final long EVAL_SEED = 7;

    private final ShippedAssets.LoadedModel model;
    private final DataOptions.Dataset data;
    private final ForgetRemainSplit split;
    private final List<Integer> forgotten;
    private final EraseDiffConfig config;
    private final ModelEvaluator evaluator;
    private final EvalOptions.Counts counts;
    private final int checkpointEvery;
    private final RunFolder folder;
    private final String command;
    private final DeletionEvidenceCollector deletion;
    private final DeletionOptions.MembershipStop stop;

    /**
     * @param model     the model to unlearn from (never modified on disk)
     * @param data      its training data
     * @param split     what to forget
     * @param forgotten the forgotten classes (empty when individual images are forgotten)
     * @param config    EraseDiff's settings
     * @param evaluator the evaluator, or {@code null} for none
     * @param counts    the evaluation's sample counts
     * @param checkpointEvery steps between checkpoints
     * @param folder    the run folder (created by {@link #run()})
     * @param command   the command line, for provenance
     * @param deletion  the evidence collector of a request for individual images, or {@code null}
     * @param stop      with {@code deletion}: the membership stopping rule, or {@code null} for none
     */
    private UnlearnJob(ShippedAssets.LoadedModel model, DataOptions.Dataset data, ForgetRemainSplit split,
               List<Integer> forgotten, EraseDiffConfig config, ModelEvaluator evaluator,
               EvalOptions.Counts counts, int checkpointEvery, RunFolder folder, String command,
               DeletionEvidenceCollector deletion, DeletionOptions.MembershipStop stop) {
        this.model = model;
        this.data = data;
        this.split = split;
        this.forgotten = List.copyOf(forgotten);
        this.config = config;
        this.evaluator = evaluator;
        this.counts = counts;
        this.checkpointEvery = checkpointEvery;
        this.folder = folder;
        this.command = command;
        this.deletion = deletion;
        this.stop = stop;
    }

    /**
     * Loads and validates every input (nothing is written): the settings, the model, the data, the
     * forget set, the evaluator and, for a request for individual images, the evidence settings.
     *
     * @param folder      the run folder, already checked
     * @param checkpoints how often the run checkpoints
     * @param command     the command line, for provenance
     * @throws IllegalArgumentException naming the first bad input
     */
    static UnlearnJob prepare(ModelOptions model, DataOptions data, ForgetOptions forget, EraseDiffOptions settings,
                              EvalOptions eval, JudgeOptions judge, DeletionOptions evidence,
                              CheckpointOptions checkpoints, RunFolder folder, String command) throws IOException {
        int checkpointEvery = checkpoints.every();
        forget.validate();
        evidence.validate();
        judge.validate();
        eval.validate();
        ShippedAssets.LoadedModel m = model.load();
        EraseDiffConfig cfg = settings.resolve(m.graph().isConditional(), !forget.byClass());
        DataOptions.Dataset d = data.load(m.graph().imageShape());
        ForgetRemainSplit split = forget.split(d);
        List<Integer> forgotten = forget.byClass() ? forget.classIndices(d) : List.of();
        EvalOptions.Counts counts = eval.counts(m.graph().isConditional(), forget.byClass());
        ModelEvaluator evaluator = eval.skip ? null : eval.evaluator(m.card().schedule(), judge, d, counts);
        DeletionEvidenceCollector deletion = evaluator == null || forget.byClass() ? null
                : evidence.collector(evaluator, m.card().schedule(), data, d, split, counts.perKept());
        if (evidence.membershipStop() != null && deletion == null) {
            throw new IllegalArgumentException("--stop-at-mia-auc needs --forget-ids (or --forget-ids-file) and the "
                    + "evaluation (no --no-eval)");
        }
        return new UnlearnJob(m, d, split, forgotten, cfg, evaluator, counts, checkpointEvery, folder, command,
                deletion, evidence.membershipStop());
    }

    /**
     * Runs the job and returns its figures: {@code before}, {@code after} and {@code eval_seconds}
     * (with evaluation), {@code class_transitions} (an unconditional model forgetting classes), {@code seconds}
     * (unlearning), {@code steps}, {@code output} (the run folder) and {@code output_model_sha256}.
     */
    Map<String, Object> run() throws Exception {
        Path dir = folder.create();
        AtomicFiles.writeString(dir.resolve(CONFIG), configText(config));
        Path output = dir.resolve("model.fb");
        MetricsHistoryListener history = new MetricsHistoryListener(dir.resolve("history"), 25);
        EraseDiffUnlearner.Builder builder = EraseDiffUnlearner.builder(config).optSchedule(model.card().schedule())
                .optCheckpoints(new CheckpointStore(dir.resolve("checkpoints"), 2), checkpointEvery)
                .addListeners(history)
                .optProvenance("input_model_sha256", model.sha256());
        if (stop != null) {
            ToDoubleFunction<NoisePredictor> probe = deletion.membershipProbe(model.graph(), model.sha256());
            builder.addListeners(new ForgettingTargetStop(probe::applyAsDouble, stop.auc(), stop.every()))
                    .optProvenance("stop_at_mia_auc", String.valueOf(stop.auc()))
                    .optProvenance("stop_every", String.valueOf(stop.every()));
        }
        EraseDiffUnlearner unlearner = builder.build();
        UnlearningResult r;
        try {
            r = unlearner.unlearn(model.graph(), split);
        } catch (IllegalArgumentException badInput) {
            // a setting that only the run could check (it contradicts the model or data): leave no folder behind
            folder.discardIfUnused(Set.of(CONFIG));
            throw badInput;
        }
        GraphFiles.save(r.model().sameDiff(), output, false);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("command", command);
        training.put("provenance", r.provenance());
        training.put("seconds", r.seconds());
        String outSha = GraphFiles.sha256(output);
        ModelCard card = model.card();
        new ModelCard(card.unet(), card.spec(), card.schedule(), training, Versions.all(), outSha,
                Instant.now().toString()).write(Path.of(output + ".json"));

        Map<String, Object> out = new LinkedHashMap<>();
        if (deletion != null) {
            long e0 = System.nanoTime();
            DeletionEvidenceCollector.Collected before = deletion.collect("before", model.graph(), model.sha256(),
                    EVAL_SEED);
            double beforeSeconds = (System.nanoTime() - e0) / 1e9;
            model.graph().releasePredictionMemory();
            DeletionEvidenceCollector.Collected after = deletion.collect("after", r.model(), outSha, EVAL_SEED);
            double evalSeconds = (System.nanoTime() - e0) / 1e9;
            out.put("before", before.evidence().figures());
            out.put("after", after.evidence().figures());
            out.put("eval_seconds", evalSeconds);
            Map<String, Double> timings = new LinkedHashMap<>();
            timings.put("unlearning_seconds", r.seconds());
            timings.put("evidence_before_seconds", beforeSeconds);
            timings.put("evidence_after_seconds", evalSeconds - beforeSeconds);
            writeDeletionReport(dir, before, after, outSha, timings);
            writeReport(dir.resolve("report"), before.quality(), after.quality(), r, outSha);
        } else if (evaluator != null) {
            long e0 = System.nanoTime();
            ModelEvaluator.Evaluated before = evaluate("before", model.graph(), model.sha256());
            model.graph().releasePredictionMemory();
            ModelEvaluator.Evaluated after = evaluate("after", r.model(), outSha);
            out.put("before", summary(before));
            out.put("after", summary(after));
            out.put("eval_seconds", (System.nanoTime() - e0) / 1e9);
            writeReport(dir.resolve("report"), before, after, r, outSha);
            if (before.forgetImages() == null) {
                // an unconditional model: both sampled from the same starting noise, image by image
                ClassTransitions t = ClassTransitions.of(before.keptLabels(), after.keptLabels(),
                        data.classNames().size());
                out.put("class_transitions", t.toMap());
                writeTransitions(dir.resolve("report").resolve("class-transitions.md"), t);
            }
        }
        out.put("seconds", r.seconds());
        out.put("steps", r.history().size());
        out.put("output", dir.toString());
        out.put("output_model_sha256", outSha);
        return out;
    }

    private void writeDeletionReport(Path dir, DeletionEvidenceCollector.Collected before,
                                     DeletionEvidenceCollector.Collected after, String outSha,
                                     Map<String, Double> timings) throws IOException {
        Map<String, Object> method = new LinkedHashMap<>();
        method.put("name", "EraseDiff");
        method.put("config", JSON.readValue(config.toJson(), Map.class));
        Map<String, Object> settings = new LinkedHashMap<>(deletion.settings());
        settings.put("sampler", JSON.readValue(evaluator.generator().config().toJson(), Map.class));
        settings.put("seed", EVAL_SEED);
        DeletionReport report = new DeletionReport(DeletionReportWriter.FORMAT, "Deletion of "
                + split.forget().size() + " images from " + model.sha256().substring(0, 12),
                DeletionRequest.of(split.forget(), data.images(), split.description()), model.sha256(), outSha,
                method, settings, before.evidence(), after.evidence(), timings, Versions.all(), command,
                Instant.now().toString());
        DeletionReportWriter.write(dir, report, Map.of("nearest", nearestFigure(before, after)));
    }

    /** Row 1 the requested images, rows 2 and 3 the nearest generated image of each before and after. */
    private RenderedImage nearestFigure(DeletionEvidenceCollector.Collected before,
                                        DeletionEvidenceCollector.Collected after) {
        LabelledImages requested = split.forget();
        int n = requested.size();
        INDArray images = Nd4j.create(DataType.FLOAT, n, requested.channels(), requested.height(), requested.width());
        requested.copyScaled(IntStream.range(0, n).toArray(), images, null);
        INDArray all = Nd4j.concat(0, images, nearest(before), nearest(after));
        int[] rows = IntStream.range(0, 3 * n).map(i -> i / n).toArray();
        return ImageGrid.builder(3).optScale(2).optLabelColumn(true).optColumns(n)
                .optClassNames(List.of("requested", "nearest before", "nearest after")).build().render(all, rows);
    }

    private static INDArray nearest(DeletionEvidenceCollector.Collected c) {
        return c.generated().get(NDArrayIndex.indices(Arrays.stream(c.nearest()).asLongStream().toArray()))
                .castTo(DataType.FLOAT);
    }

    /** The judge's class of every sample before against after, with the net moves of the other classes. */
    private void writeTransitions(Path file, ClassTransitions t) throws IOException {
        List<String> names = data.classNames();
        double[] net = t.netMovesExcluding(forgotten);
        StringBuilder s = new StringBuilder("# Where the samples went\n\n")
                .append("The judge's class of each of ").append(t.total())
                .append(" samples before (rows) and after (columns) unlearning, both models sampled from the same ")
                .append("starting noise. ").append(String.format(Locale.ROOT, "%.1f", 100 * t.changedFraction()))
                .append(" % of the samples changed class.\n\n").append(t.toMarkdown(names))
                .append("\nNet move of each share from samples that were not of a forgotten class before (points): ");
        for (int c = 0; c < names.size(); c++) {
            s.append(c == 0 ? "" : ", ").append(names.get(c)).append(' ')
                    .append(String.format(Locale.ROOT, "%+.2f", 100 * net[c]));
        }
        AtomicFiles.writeString(file, s.append(".\n").toString());
    }

    /** How many images each model's evaluation generated, for the report. */
    private Map<String, Integer> evalImages() {
        int classes = data.classNames().size();
        Map<String, Integer> images = new LinkedHashMap<>();
        if (!model.graph().isConditional()) {
            images.put("unconditional", counts.perKept() * classes);
        } else {
            images.put("per_kept_class", counts.perKept());
            if (!forgotten.isEmpty()) {
                images.put("per_forgotten_class", counts.perForget());
            }
        }
        return images;
    }

    /** The settings as the run folder's {@link #CONFIG} holds them. */
    static String configText(EraseDiffConfig config) {
        return config.toJson() + "\n";
    }

    private ModelEvaluator.Evaluated evaluate(String name, DiffusionGraph g, String sha) throws IOException {
        int classes = data.classNames().size();
        int[] kept = IntStream.range(0, classes).filter(c -> !forgotten.contains(c)).toArray();
        int[] measured = forgotten.stream().mapToInt(Integer::intValue).toArray();
        if (!g.isConditional()) {
            return evaluator.evaluateUnconditional(name, g, sha, g.imageShape(), counts.perKept() * classes, kept,
                    measured, EVAL_SEED);
        }
        return evaluator.evaluate(name, g, sha, g.imageShape(), kept, counts.perKept(), measured, counts.perForget(),
                EVAL_SEED);
    }

    /** The figures of one model in the command's JSON ({@code before} / {@code after}). */
    static Map<String, Object> summary(ModelEvaluator.Evaluated e) {
        Map<String, Object> s = new LinkedHashMap<>();
        var metrics = e.evaluation().metrics();
        // the forgotten classes under ψ, the same under further judges (ψ_SA: _sa), and their FID against real images
        for (String k : List.of("p_forget", "entropy_forget", "argmax_forget", "p_forget_sa", "entropy_forget_sa",
                "argmax_forget_sa", "fid_forget")) {
            if (metrics.containsKey(k)) {
                s.put(k, metrics.get(k));
            }
        }
        // an unconditional model: the share of its samples the judges assign to a forgotten class, and ψ's histogram
        for (String k : List.of("share_forget", "share_forget_sa")) {
            if (metrics.containsKey(k)) {
                s.put(k, metrics.get(k));
            }
        }
        double[] histogram = e.evaluation().perClass().get("class_histogram");
        if (histogram != null) {
            s.put("class_histogram", histogram);
        }
        if (metrics.containsKey("accuracy")) {
            s.put("accuracy_remain", metrics.get("accuracy"));
        }
        s.put("fid_remain", metrics.get("fid"));
        s.put("kid_remain", metrics.get("kid"));
        return s;
    }

    private void writeReport(Path dir, ModelEvaluator.Evaluated before, ModelEvaluator.Evaluated after,
                             UnlearningResult r, String outSha) throws Exception {
        Map<String, RenderedImage> figures = new LinkedHashMap<>();
        int columns = Math.min(12, before.forgetImages() != null ? Math.min(counts.perKept(), counts.perForget())
                : counts.perKept());
        ImageGrid grid = ImageGrid.builder(data.classNames().size()).optScale(2).optLabelColumn(true)
                .optColumns(columns).optClassNames(data.classNames()).optForgottenClasses(Set.copyOf(forgotten))
                .build();
        figures.put("before.png", grid.render(SampleGrids.images(before, columns), SampleGrids.labels(before, columns)));
        figures.put("after.png", grid.render(SampleGrids.images(after, columns), SampleGrids.labels(after, columns)));
        List<StepMetrics> h = r.history();
        figures.put("losses.png", Plots.lineChart(ChartSpec.builder("EraseDiff losses", "step", "loss").build(),
                List.of(Series.of("L_r", h.stream().mapToDouble(StepMetrics::remainLoss).toArray()),
                        Series.of("L_f", h.stream().mapToDouble(StepMetrics::forgetLoss).toArray()))));
        List<Series> lambdaQ = new ArrayList<>();
        lambdaQ.add(Series.of("λ", h.stream().mapToDouble(StepMetrics::lambda).toArray()));
        double[] q = h.stream().mapToDouble(StepMetrics::q).toArray();
        if (Arrays.stream(q).allMatch(Double::isFinite)) {
            lambdaQ.add(Series.of("q", q));
        }
        figures.put("lambda_q.png", Plots.lineChart(ChartSpec.builder("λ and q per step", "step", "value").build(),
                lambdaQ));
        String forgetKey = before.evaluation().metrics().containsKey("p_forget") ? "p_forget"
                : before.evaluation().metrics().containsKey("share_forget") && !forgotten.isEmpty() ? "share_forget"
                : null;
        if (forgetKey != null) {
            figures.put("forgetting_vs_quality.png", Plots.scatter(
                    ChartSpec.builder("Forgetting vs quality", "FID on kept classes", forgetKey).build(),
                    List.of(new LabelledPoint("before", before.evaluation().metric("fid"),
                                    before.evaluation().metric(forgetKey)),
                            new LabelledPoint("after", after.evaluation().metric("fid"),
                                    after.evaluation().metric(forgetKey)))));
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("run", r.provenance());
        provenance.put("input_model_sha256", model.sha256());
        provenance.put("output_model_sha256", outSha);
        provenance.put("eval_images", evalImages());
        provenance.put("unlearning_seconds", r.seconds());
        provenance.put("command", command);
        provenance.put("forget", split.description());
        if (!forgotten.isEmpty()) {
            provenance.put(EvaluationReport.JUDGES, evaluator.judges());
        }
        new EvaluationReportWriter().write(dir, new EvaluationReport("EraseDiff on " + data.images().name(),
                List.of(before.evaluation(), after.evaluation()), provenance), figures);
    }
}
