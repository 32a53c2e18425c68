package org.erasediff.samples.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.data.Mnist;
import org.erasediff.dl4j.checkpoint.AtomicFiles;
import org.erasediff.dl4j.checkpoint.GraphFiles;
import org.erasediff.eval.classifier.ClassifierTrainer;
import org.erasediff.eval.classifier.MnistClassifierNetwork;
import org.erasediff.samples.ShippedAssets;
import org.nd4j.autodiff.samediff.SameDiff;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code erasediff train-classifier}: trains the evaluation classifier ψ and writes it with a provenance file. */
@Command(name = "train-classifier", mixinStandardHelpOptions = true,
        description = "Trains the MNIST evaluation classifier and writes <output> and <output>.provenance.json.")
final class TrainClassifierCommand implements Callable<Integer> {

    @Option(names = "--output", required = true, description = "Where to write the classifier (never an input file).")
    Path output;

    @Option(names = "--epochs", defaultValue = "4", description = "Passes over the 60,000 training images (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.001", description = "Initial Adam learning rate, halved every epoch (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print the figures as one JSON object on the last line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ClassifierTrainer.Settings settings = new ClassifierTrainer.Settings(epochs, batch, lr, seed);
        LabelledImages train = ShippedAssets.mnist(Mnist.Split.TRAIN);
        LabelledImages test = ShippedAssets.mnist(Mnist.Split.TEST);
        long t0 = System.nanoTime();
        SameDiff sd = ClassifierTrainer.train(train, settings);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double accuracy = MnistClassifierNetwork.wrap(sd).accuracy(test);
        GraphFiles.save(sd, output, false);

        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("model", "MNIST evaluation classifier (MnistClassifierNetwork)");
        provenance.put("command", "./erasediff train-classifier --output " + output + " --epochs " + epochs
                + " --batch " + batch + " --lr " + lr + " --seed " + seed);
        provenance.put("seed", seed);
        provenance.put("epochs", epochs);
        provenance.put("batch_size", batch);
        provenance.put("learning_rate", lr);
        provenance.put("steps", (long) (train.size() / batch) * epochs);
        provenance.put("train_seconds", seconds);
        provenance.put("test_accuracy", accuracy);
        provenance.put("train_data_sha256", train.contentHash());
        provenance.put("model_sha256", GraphFiles.sha256(output));
        provenance.put("versions", Versions.all());
        provenance.put("created", Instant.now().toString());
        AtomicFiles.writeString(Path.of(output + ".provenance.json"),
                new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsString(provenance) + "\n");

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accuracy", accuracy);
        out.put("train_seconds", seconds);
        out.put("output", output.toString());
        JsonOutput.print(out, json);
        return 0;
    }
}
