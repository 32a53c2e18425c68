package org.erasediff.samples.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.data.Mnist;
import org.erasediff.eval.classifier.MnistClassifierNetwork;
import org.erasediff.eval.classifier.SaClassifierNetwork;
import org.erasediff.eval.classifier.SameDiffClassifier;
import org.erasediff.eval.metrics.ContentFreeProbes;
import org.erasediff.samples.ShippedAssets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code erasediff classifier-eval}: accuracy of both judges — the evaluation classifier ψ and
 * ψ_SA, the replica of Selective Amnesia's classifier — on the 10,000 MNIST test images, and their
 * entropies on content-free images.
 */
@Command(name = "classifier-eval", mixinStandardHelpOptions = true,
        description = "Evaluates the MNIST judges (the shipped ψ and ψ_SA by default) on the 10,000 test images, and "
                + "reports their entropy on content-free images (the ceiling of the forgetting entropy H). Keys for "
                + "ψ_SA end in _sa.")
final class ClassifierEvalCommand implements Callable<Integer> {

    @Option(names = "--model", description = "A ψ classifier file to evaluate instead of the shipped one.")
    Path model;

    @Option(names = "--model-sa", description = "A ψ_SA classifier file (train-classifier --arch sa) to evaluate "
            + "instead of the shipped one.")
    Path modelSa;

    @Option(names = "--json", description = "Print the figures as one JSON object on the last line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        SameDiffClassifier classifier = MnistClassifierNetwork.wrap(ShippedAssets.model(model, ShippedAssets.CLASSIFIER));
        SameDiffClassifier sa = SaClassifierNetwork.wrap(ShippedAssets.model(modelSa, ShippedAssets.CLASSIFIER_SA));
        LabelledImages test = ShippedAssets.mnist(Mnist.Split.TEST);
        long[] shape = {1, 28, 28};
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accuracy", classifier.accuracy(test));
        out.put("images", test.size());
        // how high the forgetting entropy can go: the classifier's entropy on content-free images
        out.put("entropy_content_free", ContentFreeProbes.meanEntropies(
                images -> classifier.classify(images).probabilities(), shape));
        out.put("p_content_free", ContentFreeProbes.meanProbabilities(
                images -> classifier.classify(images).probabilities(), shape));
        out.put("accuracy_sa", sa.accuracy(test));
        out.put("entropy_content_free_sa", ContentFreeProbes.meanEntropies(
                images -> sa.classify(images).probabilities(), shape));
        out.put("p_content_free_sa", ContentFreeProbes.meanProbabilities(
                images -> sa.classify(images).probabilities(), shape));
        out.put("seconds", (System.nanoTime() - t0) / 1e9);
        JsonOutput.print(out, json);
        return 0;
    }
}
