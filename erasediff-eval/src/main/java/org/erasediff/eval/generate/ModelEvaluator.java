package org.erasediff.eval.generate;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.sampling.NoisePredictor;
import org.erasediff.eval.classifier.SameDiffClassifier;
import org.erasediff.eval.metrics.AccuracyMetrics;
import org.erasediff.eval.metrics.ClassifierMetrics;
import org.erasediff.eval.metrics.ForgettingMetrics;
import org.erasediff.eval.metrics.FrechetDistance;
import org.erasediff.eval.metrics.GaussianStatistics;
import org.erasediff.eval.metrics.KernelInceptionDistance;
import org.erasediff.eval.metrics.KidConfig;
import org.erasediff.eval.metrics.KidResult;
import org.erasediff.eval.metrics.PrecisionRecall;
import org.erasediff.eval.metrics.PrecisionRecallResult;
import org.erasediff.eval.report.ModelEvaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Evaluates a class-conditional diffusion model with the evaluation classifier: images generated
 * for the kept classes are scored for accuracy and, against real images of the same classes, for
 * FID, KID and precision/recall on the classifier's features; images generated for forgotten
 * classes are scored for P(y = c_f), argmax rate and entropy. Same seeds for every model.
 */
public final class ModelEvaluator {

    private final SameDiffClassifier classifier;
    private final SampleGenerator generator;
    private final LabelledImages real;
    private final KidConfig kid;
    private final Map<String, INDArray> realFeatureCache = new java.util.HashMap<>();

    /** Generated images and the figures computed from them. */
    public record Evaluated(ModelEvaluation evaluation, INDArray keptImages, int[] keptLabels, INDArray forgetImages,
                            int[] forgetLabels) {
    }

    /**
     * @param classifier the evaluation classifier ψ
     * @param generator  sampler settings, seeds and cache
     * @param real       real images (e.g. the test set) for FID, KID and precision/recall
     * @param kid        KID settings
     */
    public ModelEvaluator(SameDiffClassifier classifier, SampleGenerator generator, LabelledImages real, KidConfig kid) {
        this.classifier = classifier;
        this.generator = generator;
        this.real = real;
        this.kid = kid;
    }

    /**
     * Generates and scores images.
     *
     * @param name          the model's name in reports
     * @param model         the model
     * @param modelId       identity of the weights (cache key)
     * @param chw           image shape
     * @param keptClasses   classes whose quality is measured
     * @param perKeptClass  images per kept class
     * @param forgetClasses classes whose forgetting is measured (may be empty)
     * @param perForgetClass images per forgotten class
     * @param seed          generation seed
     */
    public Evaluated evaluate(String name, NoisePredictor model, String modelId, long[] chw, int[] keptClasses,
                              int perKeptClass, int[] forgetClasses, int perForgetClass, long seed) throws IOException {
        ModelEvaluation.Builder b = ModelEvaluation.builder(name);
        int numClasses = real.numClasses();
        int[] keptLabels = SampleGenerator.labelsPerClass(keptClasses, perKeptClass);
        INDArray kept = generator.generate(model, modelId, chw, keptLabels, seed);
        SameDiffClassifier.Outputs ko = classifier.classify(kept);
        AccuracyMetrics acc = ClassifierMetrics.accuracy(ko.probabilities(), keptLabels);
        b.metric("accuracy", acc.overall());
        double[] perClass = new double[numClasses];
        Arrays.fill(perClass, Double.NaN);
        for (int c : keptClasses) {
            perClass[c] = acc.perClass()[c];
        }
        b.perClass("accuracy", perClass);
        INDArray realFeatures = realFeatures(keptClasses);
        double[][] gen = ko.features().castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] ref = realFeatures.castTo(DataType.DOUBLE).toDoubleMatrix();
        b.metric("fid", FrechetDistance.compute(GaussianStatistics.of(gen), GaussianStatistics.of(ref)));
        KidResult k = KernelInceptionDistance.compute(gen, ref, kid);
        b.metric("kid", k.mean());
        b.metric("kid_std_error", k.standardError());
        PrecisionRecallResult pr = PrecisionRecall.compute(ref, gen);
        b.metric("precision", pr.precision());
        b.metric("recall", pr.recall());

        INDArray forget = null;
        int[] forgetLabels = new int[0];
        if (forgetClasses.length > 0) {
            forgetLabels = SampleGenerator.labelsPerClass(forgetClasses, perForgetClass);
            forget = generator.generate(model, modelId, chw, forgetLabels, seed + 1);
            INDArray probs = classifier.classify(forget).probabilities();
            ForgettingMetrics f = ClassifierMetrics.forgetting(probs, forgetLabels);
            b.metric("p_forget", f.meanTargetProbability());
            b.metric("argmax_forget", f.argmaxRate());
            b.metric("entropy_forget", f.meanEntropy());
            b.metric("entropy_forget_normalised", f.normalisedEntropy());
        }
        return new Evaluated(b.build(), kept, keptLabels, forget, forgetLabels);
    }

    private INDArray realFeatures(int[] classes) {
        return realFeatureCache.computeIfAbsent(Arrays.toString(classes), k -> computeRealFeatures(classes));
    }

    private INDArray computeRealFeatures(int[] classes) {
        int[] pos = IntStream.range(0, real.size())
                .filter(i -> Arrays.stream(classes).anyMatch(c -> c == real.label(i))).toArray();
        INDArray images = Nd4j.create(DataType.FLOAT, pos.length, real.channels(), real.height(), real.width());
        real.copyScaled(pos, images, null);
        return classifier.classify(images).features();
    }

    /** The figures as a flat map for a command's JSON line ({@code per_class_accuracy} as a list). */
    public static Map<String, Object> figures(ModelEvaluation e) {
        Map<String, Object> m = new LinkedHashMap<>(e.metrics());
        double[] pc = e.perClass().get("accuracy");
        if (pc != null) {
            m.put("per_class_accuracy", pc);
        }
        return m;
    }
}
