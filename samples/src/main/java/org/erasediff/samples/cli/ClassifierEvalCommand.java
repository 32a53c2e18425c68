package org.erasediff.samples.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.data.Mnist;
import org.erasediff.eval.classifier.MnistClassifierNetwork;
import org.erasediff.eval.classifier.SameDiffClassifier;
import org.erasediff.eval.metrics.ClassifierMetrics;
import org.erasediff.eval.metrics.ContentFreeProbes;
import org.erasediff.samples.ShippedAssets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code erasediff classifier-eval}: accuracy of the evaluation classifier on the 10,000 MNIST test images. */
@Command(name = "classifier-eval", mixinStandardHelpOptions = true,
        description = "Evaluates the MNIST classifier (the shipped one by default) on the 10,000 test images, and reports "
                + "its entropy on content-free images (the ceiling of the forgetting entropy H).")
final class ClassifierEvalCommand implements Callable<Integer> {

    @Option(names = "--model", description = "A classifier file to evaluate instead of the shipped one.")
    Path model;

    @Option(names = "--json", description = "Print the figures as one JSON object on the last line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        SameDiffClassifier classifier = MnistClassifierNetwork.wrap(ShippedAssets.model(model, ShippedAssets.CLASSIFIER));
        LabelledImages test = ShippedAssets.mnist(Mnist.Split.TEST);
        double accuracy = classifier.accuracy(test);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accuracy", accuracy);
        out.put("images", test.size());
        // how high the forgetting entropy can go: the classifier's entropy on content-free images
        Map<String, Object> probes = new LinkedHashMap<>();
        ContentFreeProbes.create(256, new long[] {1, 28, 28}, 1).forEach((name, images) -> probes.put(name,
                ClassifierMetrics.forgetting(classifier.classify(images).probabilities(), 0).meanEntropy()));
        out.put("entropy_content_free", probes);
        out.put("seconds", (System.nanoTime() - t0) / 1e9);
        JsonOutput.print(out, json);
        return 0;
    }
}
