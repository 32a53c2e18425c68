package org.erasediff.samples.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.eval.generate.ModelEvaluator;
import org.erasediff.eval.report.EvaluationReport;
import org.erasediff.eval.report.EvaluationReportWriter;
import org.erasediff.eval.report.ImageGrid;
import org.erasediff.samples.ShippedAssets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code erasediff eval}: quality of a diffusion model, judged by a classifier against real images. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Generates images for every class with classifier-free guidance and reports the judge's "
                + "accuracy (overall and per class), FID, KID and precision/recall against real images. Default: the "
                + "shipped MNIST model, judged by the shipped classifier against the MNIST test set; or your own model "
                + "(--model, --spec), judge (--judge) and real images (--data). An unconditional model is judged by "
                + "the class histogram of its samples (class_histogram) and their FID, KID and precision/recall.",
                "Writes the report to a new folder (default runs/eval/<time>)."})
final class EvalCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Mixin
    SamplerOptions sampling;

    @Mixin
    DataOptions data;

    @Mixin
    JudgeOptions judge;

    @Option(names = "--per-class", paramLabel = "N", defaultValue = "100", description = "Images per class "
            + "(default ${DEFAULT-VALUE}); an unconditional model generates this many times the number of classes.")
    int perClass;

    @Option(names = "--report", paramLabel = "DIR", description = "Report folder to create (must not exist; default: "
            + "a new folder runs/eval/<yyyyMMdd-HHmmss>).")
    Path report;

    @Option(names = "--cache", paramLabel = "DIR", defaultValue = "runs/sample-cache", description = "Sample cache "
            + "folder (default ${DEFAULT-VALUE}).")
    Path cache;

    @Option(names = "--json", description = "Print the figures as one JSON object on the last line.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RunFolder folder = RunFolder.of(report, "eval");
        judge.validate();
        if (perClass < 4) {
            throw new IllegalArgumentException("--per-class must be >= 4 (precision/recall compares 3 neighbours), "
                    + "was " + perClass);
        }
        long t0 = System.nanoTime();
        ShippedAssets.LoadedModel m = model.load();
        DiffusionGraph g = m.graph();
        DataOptions.Dataset real = data.loadReference(g.imageShape());
        int classes = real.classNames().size();
        if (g.isConditional() && g.spec().numClasses() != classes) {
            throw new IllegalArgumentException("the model has " + g.spec().numClasses() + " classes but the data "
                    + real.images().name() + " has " + classes);
        }
        SamplerConfig sampler = sampling.config();
        ModelEvaluator evaluator = judge.evaluator(m.card().schedule(), sampler, 10 * perClass, cache, real.images());
        int[] all = IntStream.range(0, classes).toArray();
        ModelEvaluator.Evaluated e = g.isConditional()
                ? evaluator.evaluate("model", g, m.sha256(), g.imageShape(), all, perClass, new int[0], 0,
                        sampling.seed)
                : evaluator.evaluateUnconditional("model", g, m.sha256(), g.imageShape(), perClass * classes, all,
                        new int[0], sampling.seed);
        double seconds = (System.nanoTime() - t0) / 1e9;

        int columns = Math.min(perClass, 16);
        var grid = ImageGrid.builder(classes).optScale(2).optLabelColumn(true).optColumns(columns)
                .optClassNames(real.classNames()).build()
                .render(SampleGrids.firstPerClass(e.keptImages(), e.keptLabels(), columns),
                        SampleGrids.firstPerClassLabels(e.keptLabels(), columns));
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("model_sha256", m.sha256());
        provenance.put("model", model.describe());
        provenance.put("sampler", sampler);
        provenance.put("seed", sampling.seed);
        provenance.put("images_per_class", perClass);
        provenance.put("reference", (judge.given() ? real.images().name() + " (" + real.images().size() + " images)"
                : "MNIST test set (10,000 images)") + ", judge features");
        provenance.put("command", CommandLines.of(spec));
        Path dir = folder.create();
        new EvaluationReportWriter().write(dir, new EvaluationReport("Diffusion model evaluation",
                List.of(e.evaluation()), provenance), Map.of("samples.png", grid));

        Map<String, Object> out = ModelEvaluator.figures(e.evaluation());
        out.put("images", e.keptLabels().length);
        out.put("seconds", seconds);
        out.put("report", dir.toString());
        JsonOutput.print(out, json);
        return 0;
    }
}
