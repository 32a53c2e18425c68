package org.erasediff.samples.cli;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.optim.ParameterSelection;
import org.erasediff.dl4j.checkpoint.AtomicFiles;
import org.erasediff.dl4j.checkpoint.CheckpointStore;
import org.erasediff.dl4j.checkpoint.GraphFiles;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.train.DdpmTrainer;
import org.erasediff.dl4j.train.DdpmTrainingConfig;
import org.erasediff.dl4j.unet.UNetBuilder;
import org.erasediff.dl4j.unet.UNetConfig;
import org.erasediff.eval.deletion.CanaryData;
import org.erasediff.samples.ModelCard;
import org.erasediff.samples.ShippedAssets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code erasediff train}: trains the reference UNet with the DDPM objective on MNIST or the user's images. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = "Trains a DDPM (reference UNet; class-conditional unless --unconditional) on the 60,000 MNIST "
                + "training images or your own (--data, at --image-size and --channels), all classes or all but "
                + "--exclude-class; or fine-tunes a model (--init-model), for example with canaries: training images "
                + "duplicated until the model regenerates them (--canary-ids, --canary-copies), a model to delete "
                + "them from. Resumes from the checkpoint folder if it holds a checkpoint of the same run.")
final class TrainCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--image-size", paramLabel = "N", defaultValue = "28", description = "Image height = width the "
            + "model takes; --data images are resized to it (default ${DEFAULT-VALUE}; divisible by 2^(levels-1)).")
    int imageSize;

    @Option(names = "--channels", paramLabel = "C", defaultValue = "1", description = "1 (grayscale) or 3 (RGB) "
            + "(default ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--unconditional", description = "Train without class labels (an unconditional model).")
    boolean unconditional;

    @Option(names = "--output", required = true, description = "Model file to write (with <output>.json, its model card).")
    Path output;

    @Option(names = "--checkpoints", description = "Checkpoint folder (default: <output>.checkpoints).")
    Path checkpointDir;

    @Option(names = "--steps", defaultValue = "4000", description = "Optimiser steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.002", description = "Peak learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--warmup", defaultValue = "200", description = "Warm-up steps (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--ema", defaultValue = "0.995", description = "EMA decay (default ${DEFAULT-VALUE}).")
    double ema;

    @Option(names = "--exclude-class", split = ",", description = "Train without these digits, e.g. 0: the Retrain "
            + "model, the gold standard an unlearned model is compared with.")
    List<Integer> excludeClasses;

    @Option(names = "--init-model", paramLabel = "FILE", description = "Start from this model's weights (a model "
            + "written by this CLI, with its card <FILE>.json) instead of a fresh UNet; its card gives the "
            + "architecture and schedule, so --widths, --attention, --unconditional, --image-size and --channels are "
            + "not given. Never modified.")
    Path initModel;

    @Option(names = "--canary-ids", split = ",", paramLabel = "ID", description = "Training images (sample ids) to "
            + "duplicate, e.g. 1,3,5: each appears --canary-copies times in the training data (the duplicates get "
            + "ids above the data's), so the model memorises them; the card records them as canary_ids.")
    List<Integer> canaryIds;

    @Option(names = "--canary-copies", paramLabel = "N", description = "How often each canary appears in the "
            + "training data (the original and N-1 duplicates), with --canary-ids.")
    Integer canaryCopies;

    @Option(names = "--checkpoint-every", defaultValue = "100", description = "Steps between checkpoints (default ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--widths", split = ",", defaultValue = "32,64,128", description = "Channel widths per level (default ${DEFAULT-VALUE}).")
    List<Integer> widths;

    @Option(names = "--attention", defaultValue = "true", negatable = true, description = "Self-attention at the lowest level (default ${DEFAULT-VALUE}).")
    boolean attention;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of initialisation, batches and noise (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print the figures as one JSON object on the last line.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(output)) {
            throw new IllegalArgumentException("output " + output + " exists: choose a new file (models are never overwritten)");
        }
        if ((canaryIds == null) != (canaryCopies == null)) {
            throw new IllegalArgumentException("--canary-ids and --canary-copies go together");
        }
        ShippedAssets.LoadedModel init = initModel == null ? null : loadInitModel();
        long[] chw = init != null ? init.graph().imageShape() : new long[] {channels, imageSize, imageSize};
        LabelledImages all = data.load(chw).images();
        UNetConfig unet = init != null ? init.card().unet() : UNetConfig.builder().optWidths(widths)
                .optAttention(attention).optImageSize(imageSize).optImageChannels(channels)
                .optNumClasses(unconditional ? 0 : all.numClasses()).optSeed(seed).build();
        DdpmTrainingConfig.Builder b = DdpmTrainingConfig.builder(steps).optBatchSize(batch).optLearningRate(lr)
                .optWarmupSteps(warmup).optEmaDecay(ema).optSeed(seed).optCheckpointEvery(checkpointEvery);
        if (init != null) {
            b.optSchedule(init.card().schedule());
        }
        DiffusionGraph model = init != null ? init.graph() : UNetBuilder.buildDiffusionGraph(unet);
        if (!model.isConditional()) {
            b.optLabelDropout(0); // no labels to drop
        }
        DdpmTrainingConfig cfg = b.build();
        LabelledImages kept = excludeClasses == null || excludeClasses.isEmpty() ? all
                : ForgetRemainSplit.byClasses(all, excludeClasses).remain();
        CanaryData canaries = canaryIds == null ? null : CanaryData.duplicate(kept, canaryIds, canaryCopies);
        LabelledImages train = canaries != null ? canaries.data() : kept;
        Path ckDir = checkpointDir != null ? checkpointDir : Path.of(output + ".checkpoints");
        DdpmTrainer.Result r = new DdpmTrainer(model, cfg, ParameterSelection.all(), new CheckpointStore(ckDir, 2),
                List.of()).train(train);

        float[] h = r.lossHistory();
        double tail = 0;
        int n = Math.min(100, h.length);
        for (int i = h.length - n; i < h.length; i++) {
            tail += h[i];
        }
        tail /= n;
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("command", CommandLines.of(spec));
        if (init != null) {
            training.put("init_model", initModel.toString());
            training.put("init_model_sha256", init.sha256());
        }
        if (kept != all) {
            training.put("excluded_classes", excludeClasses);
            training.put("train_images", train.size());
        }
        if (canaries != null) {
            training.putAll(canaries.describe());
        }
        training.put("config", cfg);
        training.put("train_data_sha256", train.contentHash());
        training.put("seconds_this_sitting", r.seconds());
        training.put("resumed_from_step", r.resumedFrom());
        training.put("final_loss_mean_last_100", tail);
        // the card goes into place before the model: a model under its name always has its card, and a kill
        // in between leaves no model, so the same command again resumes from the last checkpoint and writes both
        AtomicFiles.writeFile(output, tmp -> {
            try (OutputStream o = Files.newOutputStream(tmp)) {
                r.model().sameDiff().save(o, false);
            }
            new ModelCard(unet, model.spec(), cfg.schedule(), training, Versions.all(), GraphFiles.sha256(tmp),
                    Instant.now().toString()).write(Path.of(output + ".json"));
        });

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("steps", steps);
        out.put("loss_last_100", tail);
        out.put("seconds", r.seconds());
        out.put("output", output.toString());
        JsonOutput.print(out, json);
        return 0;
    }

    /** The model to fine-tune, refusing architecture options (its card fixes the architecture). */
    private ShippedAssets.LoadedModel loadInitModel() throws java.io.IOException {
        for (String o : List.of("--widths", "--attention", "--unconditional", "--image-size", "--channels")) {
            if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                throw new IllegalArgumentException(o + " does not apply with --init-model: the model's card gives its "
                        + "architecture");
            }
        }
        return ShippedAssets.diffusionModel(initModel);
    }
}
