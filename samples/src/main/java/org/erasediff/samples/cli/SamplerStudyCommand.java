package org.erasediff.samples.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.erasediff.core.data.Mnist;
import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.sampling.Solver;
import org.erasediff.core.sampling.TimestepSpacing;
import org.erasediff.eval.generate.ModelEvaluator;
import org.erasediff.samples.ShippedAssets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code erasediff sampler-study}: the figures every command reports (accuracy and FID on the kept
 * digits, P and argmax rate of the forgotten digit under both judges), measured with several
 * samplers and seeds on the same models, with each sampler's generation time — the measurement the
 * evaluation default ({@link EvalDefaults}) is chosen by. Nothing is cached: every figure comes from
 * freshly generated images.
 */
@Command(name = "sampler-study", mixinStandardHelpOptions = true,
        description = "Evaluates models with several samplers and seeds (as unlearn does: kept digits and a "
                + "forgotten digit) and reports each figure per sampler with its seed-to-seed spread and the "
                + "generation speed. Used to choose the evaluation sampler.")
final class SamplerStudyCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(SamplerStudyCommand.class);
    private static final List<String> FIGURES = List.of("accuracy", "fid", "kid", "p_forget", "argmax_forget",
            "entropy_forget", "p_forget_sa", "argmax_forget_sa", "entropy_forget_sa", "fid_forget");

    @Option(names = "--models", split = ",", description = "Model files (each with <model>.json); default: the shipped model.")
    List<Path> models;

    @Option(names = "--forget-class", defaultValue = "0", description = "The digit measured as forgotten (default ${DEFAULT-VALUE}).")
    int forgetClass;

    @Option(names = "--samplers", split = ",", defaultValue = "ddim:50,dpm-solver++:10,dpm-solver++:15,dpm-solver++:18,dpm-solver++:20",
            description = "Samplers as solver:steps[:spacing] (spacing uniform or quadratic; default ${DEFAULT-VALUE}).")
    List<String> samplers;

    @Option(names = "--seeds", split = ",", defaultValue = "7,107", description = "Generation seeds (default ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--eval-forget", defaultValue = "500", description = "Images of the forgotten digit (default ${DEFAULT-VALUE}).")
    int perForget;

    @Option(names = "--eval-per-class", defaultValue = "100", description = "Images per kept digit (default ${DEFAULT-VALUE}).")
    int perKept;

    @Option(names = "--json", description = "Print the figures as one JSON object on the last line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (forgetClass < 0 || forgetClass >= Mnist.CLASSES) {
            throw new IllegalArgumentException("--forget-class must be a digit 0-9, was " + forgetClass);
        }
        if (perKept < 4 || perForget < 2) {
            throw new IllegalArgumentException("--eval-per-class must be >= 4 (precision/recall compares 3 neighbours)"
                    + " and --eval-forget >= 2 (FID needs a covariance), were " + perKept + " and " + perForget);
        }
        if (seeds.isEmpty() || samplers.isEmpty()) {
            throw new IllegalArgumentException("give at least one --seeds value and one --samplers entry");
        }
        List<SamplerConfig> configs = samplers.stream().map(SamplerStudyCommand::parse).toList();
        List<ShippedAssets.LoadedModel> loaded = new ArrayList<>();
        for (Path p : models == null ? java.util.Collections.<Path>singletonList(null) : models) {
            loaded.add(ShippedAssets.diffusionModel(p));
        }
        int[] kept = IntStream.range(0, Mnist.CLASSES).filter(c -> c != forgetClass).toArray();
        Map<String, Object> out = new LinkedHashMap<>();
        for (int s = 0; s < configs.size(); s++) {
            SamplerConfig config = configs.get(s);
            ModelEvaluator evaluator = MnistEvaluators.create(loaded.get(0).card().schedule(), config, 5 * perKept,
                    null);
            Map<String, Object> perModel = new LinkedHashMap<>();
            double seconds = 0;
            long images = 0;
            for (int m = 0; m < loaded.size(); m++) {
                ShippedAssets.LoadedModel model = loaded.get(m);
                List<Map<String, Double>> runs = new ArrayList<>();
                for (long seed : seeds) {
                    long t0 = System.nanoTime();
                    ModelEvaluator.Evaluated e = evaluator.evaluate(samplers.get(s), model.graph(), model.sha256(),
                            model.graph().imageShape(), kept, perKept, new int[] {forgetClass}, perForget, seed);
                    seconds += (System.nanoTime() - t0) / 1e9;
                    images += (long) kept.length * perKept + perForget;
                    Map<String, Double> figures = new LinkedHashMap<>();
                    FIGURES.forEach(k -> figures.put(k, e.evaluation().metric(k)));
                    runs.add(figures);
                    LOG.info("{} on {} seed {}: {}", samplers.get(s), name(models, m), seed, figures);
                }
                perModel.put(name(models, m), summarise(runs));
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("models", perModel);
            entry.put("seconds", seconds);
            entry.put("images_per_s", images / seconds);
            out.put(samplers.get(s), entry);
            loaded.forEach(l -> l.graph().releasePredictionMemory());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("samplers", out);
        result.put("seeds", seeds);
        JsonOutput.print(result, json);
        return 0;
    }

    /** Per figure: the value for each seed, their mean and their spread (max − min). */
    private static Map<String, Object> summarise(List<Map<String, Double>> runs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : FIGURES) {
            double[] v = runs.stream().mapToDouble(r -> r.get(k)).toArray();
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("values", v);
            f.put("mean", java.util.Arrays.stream(v).average().orElse(Double.NaN));
            f.put("spread", java.util.Arrays.stream(v).max().orElse(Double.NaN)
                    - java.util.Arrays.stream(v).min().orElse(Double.NaN));
            m.put(k, f);
        }
        return m;
    }

    private static String name(List<Path> models, int i) {
        return models == null ? "shipped" : models.get(i).getFileName().toString();
    }

    /**
     * Parses {@code solver:steps[:spacing]}, e.g. {@code dpm-solver++:15} or
     * {@code dpm-solver++:12:quadratic} (spacing {@code uniform}, the default, or {@code quadratic}).
     */
    static SamplerConfig parse(String spec) {
        String[] parts = spec.split(":", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("sampler '" + spec
                    + "' must be solver:steps[:spacing], e.g. dpm-solver++:15 or dpm-solver++:12:quadratic");
        }
        Solver solver = new EvalDefaults.SolverConverter().convert(parts[0]);
        int steps;
        try {
            steps = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sampler '" + spec + "': steps must be an integer");
        }
        TimestepSpacing spacing = TimestepSpacing.UNIFORM;
        if (parts.length == 3) {
            try {
                spacing = TimestepSpacing.valueOf(parts[2].toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("sampler '" + spec + "': spacing must be uniform or quadratic");
            }
        }
        return SamplerConfig.builder(steps).optSolver(solver).optSpacing(spacing)
                .optGuidanceScale(SamplerConfig.DEFAULT_GUIDANCE_SCALE).build();
    }
}
