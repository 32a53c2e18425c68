package org.erasediff.samples.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.erasediff.core.data.Mnist;
import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.eval.generate.ModelEvaluator;
import org.erasediff.eval.report.EvaluationReport;
import org.erasediff.eval.report.EvaluationReportWriter;
import org.erasediff.eval.report.ImageGrid;
import org.erasediff.samples.ShippedAssets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code erasediff eval}: quality of a class-conditional MNIST diffusion model, judged by the classifier. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Generates images for every digit with classifier-free guidance and reports classifier "
                + "accuracy (overall and per digit), FID, KID and precision/recall against the MNIST test set.")
final class EvalCommand implements Callable<Integer> {

    @Option(names = "--model", description = "Model file (with <model>.json) instead of the shipped one.")
    Path model;

    @Option(names = "--per-class", defaultValue = "100", description = "Images per digit (default ${DEFAULT-VALUE}).")
    int perClass;

    @Option(names = "--steps", defaultValue = "" + EvalDefaults.STEPS, description = "Sampling steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--solver", defaultValue = EvalDefaults.SOLVER, converter = EvalDefaults.SolverConverter.class,
            description = "Sampler: ddim or dpm-solver++ (default ${DEFAULT-VALUE}).")
    org.erasediff.core.sampling.Solver solver;

    @Option(names = "--guidance", defaultValue = "2.0", description = "Guidance scale w (default ${DEFAULT-VALUE}).")
    double guidance;

    @Option(names = "--seed", defaultValue = "1", description = "Sampling seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--report", paramLabel = "DIR", description = "Report folder to create (must not exist; default: "
            + "a new folder runs/eval/<yyyyMMdd-HHmmss>).")
    Path report;

    @Option(names = "--cache", defaultValue = "runs/sample-cache", description = "Sample cache folder (default ${DEFAULT-VALUE}).")
    Path cache;

    @Option(names = "--json", description = "Print the figures as one JSON object on the last line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        RunFolder folder = RunFolder.of(report, "eval");
        long t0 = System.nanoTime();
        ShippedAssets.LoadedModel m = ShippedAssets.diffusionModel(model);
        SamplerConfig sampler = EvalDefaults.sampler(solver, steps, guidance);
        ModelEvaluator evaluator = MnistEvaluators.create(m.card().schedule(), sampler, 10 * perClass, cache);
        int[] all = IntStream.range(0, Mnist.CLASSES).toArray();
        ModelEvaluator.Evaluated e = evaluator.evaluate("model", m.graph(), m.sha256(), m.graph().imageShape(), all,
                perClass, new int[0], 0, seed);
        double seconds = (System.nanoTime() - t0) / 1e9;

        var grid = ImageGrid.builder(Mnist.CLASSES).optScale(2).optLabelColumn(true).optColumns(Math.min(perClass, 16))
                .build().render(SampleGrids.firstPerClass(e.keptImages(), e.keptLabels(), Math.min(perClass, 16)),
                        SampleGrids.firstPerClassLabels(e.keptLabels(), Math.min(perClass, 16)));
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("model_sha256", m.sha256());
        provenance.put("model", model == null ? "shipped " + ShippedAssets.DDPM : model.toString());
        provenance.put("sampler", sampler);
        provenance.put("seed", seed);
        provenance.put("images_per_class", perClass);
        provenance.put("reference", "MNIST test set (10,000 images), classifier features");
        Path dir = folder.create();
        new EvaluationReportWriter().write(dir, new EvaluationReport("MNIST diffusion model evaluation",
                List.of(e.evaluation()), provenance), Map.of("samples.png", grid));

        Map<String, Object> out = ModelEvaluator.figures(e.evaluation());
        out.put("images", e.keptLabels().length);
        out.put("seconds", seconds);
        out.put("report", dir.toString());
        JsonOutput.print(out, json);
        return 0;
    }
}
