package org.erasediff.samples.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.data.Mnist;
import org.erasediff.dl4j.checkpoint.AtomicFiles;
import org.erasediff.dl4j.checkpoint.GraphFiles;
import org.erasediff.eval.classifier.ClassifierTrainer;
import org.erasediff.eval.classifier.ComposedBatchNorm;
import org.erasediff.eval.classifier.MnistClassifierNetwork;
import org.erasediff.eval.classifier.SaClassifierNetwork;
import org.erasediff.eval.classifier.SaClassifierTrainer;
import org.erasediff.eval.classifier.SameDiffClassifier;
import org.erasediff.eval.metrics.ContentFreeProbes;
import org.erasediff.samples.ShippedAssets;
import org.nd4j.autodiff.samediff.SameDiff;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code erasediff train-classifier}: trains an evaluation classifier — ψ ({@code --arch psi}, the
 * default) or the replica ψ_SA of Selective Amnesia's MNIST judge ({@code --arch sa}) — and writes
 * it with a provenance file.
 */
@Command(name = "train-classifier", mixinStandardHelpOptions = true,
        description = "Trains an MNIST evaluation classifier and writes <output> and <output>.provenance.json: "
                + "ψ (--arch psi, default) or ψ_SA, the replica of Selective Amnesia's classifier (--arch sa; "
                + "checkpointed per epoch, resumable).")
final class TrainClassifierCommand implements Callable<Integer> {

    /** The classifier to train. */
    enum Arch { psi, sa }

    @Option(names = "--arch", defaultValue = "psi", description = "psi (the evaluation classifier ψ) or sa (ψ_SA, "
            + "Selective Amnesia's recipe: 20 epochs, batch 64, Adam 1e-4 × 0.1 every 5 epochs). Default ${DEFAULT-VALUE}.")
    Arch arch;

    @Option(names = "--output", required = true, description = "Where to write the classifier (never an input file).")
    Path output;

    @Option(names = "--epochs", description = "Passes over the 60,000 training images (default 4 for psi, 20 for sa).")
    Integer epochs;

    @Option(names = "--batch", description = "Batch size (default 128 for psi, 64 for sa).")
    Integer batch;

    @Option(names = "--lr", description = "Initial Adam learning rate (default 0.001 for psi, halved every epoch; "
            + "1e-4 for sa, × 0.1 every 5 epochs).")
    Double lr;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--checkpoints", description = "sa only: folder of the per-epoch checkpoints; a run with the same "
            + "settings resumes from it (default <output>.checkpoints).")
    Path checkpoints;

    @Option(names = "--json", description = "Print the figures as one JSON object on the last line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        return arch == Arch.sa ? trainSa() : trainPsi();
    }

    private int trainPsi() throws Exception {
        int e = epochs == null ? 4 : epochs;
        int b = batch == null ? 128 : batch;
        double rate = lr == null ? 0.001 : lr;
        ClassifierTrainer.Settings settings = new ClassifierTrainer.Settings(e, b, rate, seed);
        LabelledImages train = ShippedAssets.mnist(Mnist.Split.TRAIN);
        LabelledImages test = ShippedAssets.mnist(Mnist.Split.TEST);
        long t0 = System.nanoTime();
        SameDiff sd = ClassifierTrainer.train(train, settings);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double accuracy = MnistClassifierNetwork.wrap(sd).accuracy(test);
        GraphFiles.save(sd, output, false);

        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("model", "MNIST evaluation classifier (MnistClassifierNetwork)");
        provenance.put("command", "./erasediff train-classifier --output " + output + " --epochs " + e
                + " --batch " + b + " --lr " + rate + " --seed " + seed);
        provenance.put("seed", seed);
        provenance.put("epochs", e);
        provenance.put("batch_size", b);
        provenance.put("learning_rate", rate);
        provenance.put("steps", (long) (train.size() / b) * e);
        provenance.put("train_seconds", seconds);
        provenance.put("test_accuracy", accuracy);
        provenance.put("train_data_sha256", train.contentHash());
        provenance.put("model_sha256", GraphFiles.sha256(output));
        provenance.put("versions", Versions.all());
        provenance.put("created", Instant.now().toString());
        writeProvenance(provenance);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accuracy", accuracy);
        out.put("train_seconds", seconds);
        out.put("output", output.toString());
        JsonOutput.print(out, json);
        return 0;
    }

    private int trainSa() throws Exception {
        long t0 = System.nanoTime();
        SaClassifierTrainer.Settings recipe = SaClassifierTrainer.Settings.selectiveAmnesia(seed);
        SaClassifierTrainer.Settings settings = new SaClassifierTrainer.Settings(
                epochs == null ? recipe.epochs() : epochs, batch == null ? recipe.batchSize() : batch,
                lr == null ? recipe.learningRate() : lr, recipe.lrStepEpochs(), recipe.lrFactor(), recipe.bnMomentum(),
                seed);
        Path ckpt = checkpoints != null ? checkpoints : Path.of(output + ".checkpoints");
        LabelledImages train = ShippedAssets.mnist(Mnist.Split.TRAIN);
        LabelledImages test = ShippedAssets.mnist(Mnist.Split.TEST);
        SaClassifierTrainer.Result r = SaClassifierTrainer.train(train, test, settings, ckpt);
        SameDiffClassifier judge = SaClassifierNetwork.wrap(r.inference());
        double accuracy = judge.accuracy(test);
        Map<String, Double> contentFree = ContentFreeProbes.meanEntropies(
                images -> judge.classify(images).probabilities(), new long[] {1, 28, 28});
        GraphFiles.save(r.inference(), output, false);

        Map<String, Object> recipeMap = new LinkedHashMap<>();
        recipeMap.put("architecture", "conv5x5 1→10, BatchNorm2d, maxpool 2, ReLU; conv5x5 10→20, BatchNorm2d, "
                + "Dropout2d(0.5), maxpool 2, ReLU; dense 320→50, ReLU, dropout 0.5; dense 50→10, softmax");
        recipeMap.put("input", "images in [-1, 1] mapped to [0, 1] by (x + 1)/2 inside the graph, no normalisation");
        recipeMap.put("optimiser", "Adam (beta 0.9/0.999, eps 1e-8), lr " + settings.learningRate() + " x "
                + settings.lrFactor() + " every " + settings.lrStepEpochs() + " epochs");
        recipeMap.put("loss", "mean negative log-likelihood of log-softmax");
        recipeMap.put("batch_norm", "batch statistics in training, running averages momentum " + settings.bnMomentum()
                + " (unbiased variance), eps " + ComposedBatchNorm.DEFAULT_EPSILON + "; scored with running statistics");
        recipeMap.put("batches", "fresh shuffle per epoch, last smaller batch kept (drop_last=False)");
        recipeMap.put("initialisation", "PyTorch defaults: U(±1/√fan_in) for weights and biases, γ 1, β 0");
        recipeMap.put("scored", "inference mode: running statistics, no dropout; the model after the last epoch "
                + "(per-epoch test accuracies are logged, not used to choose)");
        List<Map<String, Object>> history = new ArrayList<>();
        for (SaClassifierTrainer.Epoch ep : r.epochs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", ep.epoch());
            m.put("mean_loss", ep.meanLoss());
            m.put("test_accuracy", ep.testAccuracy());
            m.put("seconds", ep.seconds());
            history.add(m);
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("model", "ψ_SA: replica of Selective Amnesia's MNIST classifier (SaClassifierNetwork)");
        provenance.put("reference", "clear-nus/selective-amnesia vae/model.py class Classifier and "
                + "vae/train_classifier.py (commit 589e8d4c7b3e6b291e2d7d0915e75631ce9de1be)");
        provenance.put("command", "./erasediff train-classifier --arch sa --output " + output + " --epochs "
                + settings.epochs() + " --batch " + settings.batchSize() + " --lr " + settings.learningRate()
                + " --seed " + seed);
        provenance.put("recipe", recipeMap);
        provenance.put("seed", seed);
        provenance.put("epochs", settings.epochs());
        provenance.put("batch_size", settings.batchSize());
        provenance.put("learning_rate", settings.learningRate());
        provenance.put("steps", r.steps());
        provenance.put("train_seconds", r.trainingSeconds());
        provenance.put("seconds", (System.nanoTime() - t0) / 1e9);
        provenance.put("resumed_after_epochs", r.resumedAfter());
        provenance.put("test_accuracy", accuracy);
        provenance.put("entropy_content_free", contentFree);
        provenance.put("entropy_content_free_images", ContentFreeProbes.STANDARD_COUNT + " per probe, seed "
                + ContentFreeProbes.STANDARD_SEED);
        provenance.put("history", history);
        provenance.put("train_data_sha256", train.contentHash());
        provenance.put("test_data_sha256", test.contentHash());
        provenance.put("model_sha256", GraphFiles.sha256(output));
        provenance.put("versions", Versions.all());
        provenance.put("created", Instant.now().toString());
        writeProvenance(provenance);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accuracy", accuracy);
        out.put("entropy_content_free", contentFree);
        out.put("train_seconds", r.trainingSeconds());
        out.put("steps", r.steps());
        out.put("resumed_after_epochs", r.resumedAfter());
        out.put("output", output.toString());
        JsonOutput.print(out, json);
        return 0;
    }

    private void writeProvenance(Map<String, Object> provenance) throws java.io.IOException {
        AtomicFiles.writeString(Path.of(output + ".provenance.json"),
                new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsString(provenance) + "\n");
    }
}
