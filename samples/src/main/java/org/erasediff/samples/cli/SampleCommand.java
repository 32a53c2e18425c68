package org.erasediff.samples.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.erasediff.core.progress.ProgressMeter;
import org.erasediff.core.sampling.Sampler;
import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.sampling.SamplingProgress;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.dl4j.checkpoint.AtomicFiles;
import org.erasediff.dl4j.checkpoint.NamedArrays;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.eval.generate.SampleGenerator;
import org.erasediff.eval.report.ImageGrid;
import org.erasediff.samples.ShippedAssets;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code erasediff sample}: images from any diffusion model as a PNG grid and an array file. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Generates images from a diffusion model (default: the shipped MNIST model): for a conditional "
                + "model, --per-class images of every class or one image per --labels entry, with classifier-free "
                + "guidance; for an unconditional model, --count images.",
                "Writes a new run folder (default runs/sample/<time>): samples.png (one row per class), samples.bin "
                + "(arrays 'samples' [N, C, H, W] in [-1, 1] and 'labels' [N], NamedArrays format, read with "
                + "NamedArrays.read) and sampler.json (the settings used)."})
final class SampleCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(SampleCommand.class);
    /** Images per sampling chunk. */
    private static final int BATCH = 100;
    /** Grid columns of an unconditional model's samples. */
    private static final int UNCONDITIONAL_COLUMNS = 8;

    @Mixin
    ModelOptions model;

    @Mixin
    SamplerOptions sampling;

    @Option(names = "--labels", split = ",", paramLabel = "CLASS", description = "One image per entry, e.g. 0,0,3 "
            + "(conditional models; -1 is the null label: unguided).")
    List<Integer> labels;

    @Option(names = "--per-class", paramLabel = "N", defaultValue = "8", description = "Images per class when --labels is not given "
            + "(conditional models; default ${DEFAULT-VALUE}).")
    int perClass;

    @Option(names = "--count", paramLabel = "N", defaultValue = "64", description = "Images of an unconditional model "
            + "(default ${DEFAULT-VALUE}).")
    int count;

    @Mixin
    OutputOptions out;

    @Override
    public Integer call() throws Exception {
        RunFolder folder = out.folder();
        SamplerConfig config = sampling.config();
        ShippedAssets.LoadedModel m = model.load();
        DiffusionGraph g = m.graph();
        int[] wanted = g.isConditional() ? conditionalLabels(g.spec().numClasses()) : null;
        int n = wanted != null ? wanted.length : requirePositive(count, "--count");

        long t0 = System.nanoTime();
        Sampler sampler = Sampler.builder(g, NoiseSchedule.create(m.card().schedule()), config, g.imageShape())
                .optBatchSize(BATCH).build();
        ProgressMeter meter = new ProgressMeter(LOG, "sampling " + n + " images", (long) config.steps()
                * ((n + BATCH - 1) / BATCH), 0, 20);
        long[] stepsDone = {0};
        SamplingProgress progress = (c, cs, s, ss) -> meter.update(++stepsDone[0], null);
        INDArray images = wanted != null
                ? sampler.generate(wanted, sampling.seed, progress)
                : sampler.generate(n, sampling.seed, progress);
        double seconds = (System.nanoTime() - t0) / 1e9;

        Path dir = folder.create();
        int[] stored = wanted != null ? wanted : IntStream.range(0, n).map(i -> -1).toArray();
        NamedArrays.write(dir.resolve("samples.bin"), Map.of("samples", images,
                "labels", Nd4j.createFromArray(stored).castTo(DataType.INT32)));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("model", model.describe());
        settings.put("model_sha256", m.sha256());
        settings.put("sampler", config);
        settings.put("seed", sampling.seed);
        settings.put("labels", wanted);
        settings.put("command", out.commandLine());
        AtomicFiles.writeString(dir.resolve("sampler.json"), JsonOutput.pretty(settings) + "\n");
        grid(g, wanted, n).write(dir.resolve("samples.png"), images, rows(wanted, n));

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("images", n);
        figures.put("seconds", seconds);
        figures.put("png", dir.resolve("samples.png").toString());
        figures.put("arrays", dir.resolve("samples.bin").toString());
        figures.put("output", dir.toString());
        JsonOutput.print(figures, out.json);
        return 0;
    }

    private int[] conditionalLabels(int numClasses) {
        if (labels != null) {
            for (int l : labels) {
                if (l != -1 && (l < 0 || l >= numClasses)) {
                    throw new IllegalArgumentException("--labels " + l + ": the model has classes 0.."
                            + (numClasses - 1) + " (and -1 for unguided)");
                }
            }
            return labels.stream().mapToInt(Integer::intValue).toArray();
        }
        requirePositive(perClass, "--per-class");
        return SampleGenerator.labelsPerClass(IntStream.range(0, numClasses).toArray(), perClass);
    }

    private static int requirePositive(int v, String flag) {
        if (v < 1) {
            throw new IllegalArgumentException(flag + " must be >= 1, was " + v);
        }
        return v;
    }

    /** Grid rows: the class of each image (unguided ones in a last row), or rows of 8 for an unconditional model. */
    private static int[] rows(int[] wanted, int n) {
        if (wanted == null) {
            return IntStream.range(0, n).map(i -> i / UNCONDITIONAL_COLUMNS).toArray();
        }
        int max = Arrays.stream(wanted).max().orElse(0);
        return Arrays.stream(wanted).map(l -> l < 0 ? max + 1 : l).toArray();
    }

    private static ImageGrid grid(DiffusionGraph g, int[] wanted, int n) {
        if (wanted == null) {
            return ImageGrid.builder((n + UNCONDITIONAL_COLUMNS - 1) / UNCONDITIONAL_COLUMNS).optScale(2)
                    .optColumns(Math.min(n, UNCONDITIONAL_COLUMNS)).build();
        }
        int[] r = rows(wanted, n);
        int classes = Arrays.stream(r).max().orElse(0) + 1;
        int columns = IntStream.range(0, classes).map(c -> (int) Arrays.stream(r).filter(x -> x == c).count())
                .max().orElse(1);
        return ImageGrid.builder(classes).optScale(2).optLabelColumn(true).optColumns(columns).build();
    }
}
