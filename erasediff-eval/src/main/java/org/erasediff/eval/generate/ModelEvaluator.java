package org.erasediff.eval.generate;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.sampling.NoisePredictor;
import org.erasediff.eval.classifier.SameDiffClassifier;
import org.erasediff.eval.metrics.AccuracyMetrics;
import org.erasediff.eval.metrics.ClassifierMetrics;
import org.erasediff.eval.metrics.ContentFreeProbes;
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
 * classes are scored for P(y = c_f), argmax rate and entropy, and for {@code fid_forget}, their
 * FID against the real images of the forgotten classes on the same features. Same seeds for every
 * model.
 *
 * <p>Further judges (for example ψ_SA, suffix {@code _sa}) score the forgotten classes' images
 * too: {@code p_forget<suffix>}, {@code argmax_forget<suffix>}, {@code entropy_forget<suffix>}.
 * {@link #judges()} gives every judge's mean entropy on content-free images, the ceiling its H
 * can reach for samples without content.
 *
 * <p>An unconditional model has no class to prompt: {@link #evaluateUnconditional} scores its
 * samples by the class histogram of the judges' decisions and the share of forgotten classes.
 */
public final class ModelEvaluator {

    /** Name of the evaluation classifier in {@link #judges()}. */
    public static final String PRIMARY_JUDGE = "ψ";

    /**
     * A further judge of the forgotten classes' images.
     *
     * @param name       its name in reports (e.g. "ψ_SA")
     * @param suffix     appended to the forgetting metrics' keys (e.g. "_sa"), non-empty
     * @param classifier the classifier
     */
    public record Judge(String name, String suffix, SameDiffClassifier classifier) {
        /** Validates. */
        public Judge {
            if (name == null || name.isBlank() || suffix == null || !suffix.matches("_[a-z0-9_]+")
                    || classifier == null) {
                throw new IllegalArgumentException("a judge needs a name, a suffix like _sa and a classifier, found "
                        + name + ", " + suffix + ", " + classifier);
            }
        }
    }

    private final SameDiffClassifier classifier;
    private final List<Judge> judges;
    private List<Map<String, Object>> judgeSummaries;
    private final SampleGenerator generator;
    private final LabelledImages real;
    private final KidConfig kid;
    private final Map<String, INDArray> realFeatureCache = new java.util.HashMap<>();
    private final Map<String, PrecisionRecall.Reference> realManifoldCache = new java.util.HashMap<>();

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
        this(classifier, List.of(), generator, real, kid);
    }

    /**
     * @param classifier the evaluation classifier ψ (all figures, features for FID, KID, precision/recall)
     * @param judges     further judges of the forgotten classes' images (distinct suffixes)
     * @param generator  sampler settings, seeds and cache
     * @param real       real images (e.g. the test set) for FID, KID and precision/recall
     * @param kid        KID settings
     */
    public ModelEvaluator(SameDiffClassifier classifier, List<Judge> judges, SampleGenerator generator,
                          LabelledImages real, KidConfig kid) {
        if (judges.stream().map(Judge::suffix).distinct().count() != judges.size()) {
            throw new IllegalArgumentException("judges must have distinct suffixes, found " + judges);
        }
        this.judges = List.copyOf(judges);
        this.classifier = classifier;
        this.generator = generator;
        this.real = real;
        this.kid = kid;
    }

    /** The evaluation classifier ψ (its features measure quality and near-copies). */
    public SameDiffClassifier classifier() {
        return classifier;
    }

    /** The sample generator (sampler settings, seeds and cache) every figure is computed from. */
    public SampleGenerator generator() {
        return generator;
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
        int[] forgetLabels = SampleGenerator.labelsPerClass(forgetClasses, perForgetClass);
        INDArray kept;
        INDArray forget = null;
        if (forgetClasses.length > 0) { // one request for both, so that sampling workers share out all the chunks
            List<INDArray> both = generator.generateAll(model, modelId, chw, List.of(keptLabels, forgetLabels),
                    new long[] {seed, seed + 1});
            kept = both.get(0);
            forget = both.get(1);
        } else {
            kept = generator.generate(model, modelId, chw, keptLabels, seed);
        }
        SameDiffClassifier.Outputs ko = classifier.classify(kept);
        AccuracyMetrics acc = ClassifierMetrics.accuracy(ko.probabilities(), keptLabels);
        b.metric("accuracy", acc.overall());
        double[] perClass = new double[numClasses];
        Arrays.fill(perClass, Double.NaN);
        for (int c : keptClasses) {
            perClass[c] = acc.perClass()[c];
        }
        b.perClass("accuracy", perClass);
        quality(b, ko.features(), keptClasses);

        if (forget != null) {
            SameDiffClassifier.Outputs fo = classifier.classify(forget);
            ForgettingMetrics f = ClassifierMetrics.forgetting(fo.probabilities(), forgetLabels);
            b.metric("p_forget", f.meanTargetProbability());
            b.metric("argmax_forget", f.argmaxRate());
            b.metric("entropy_forget", f.meanEntropy());
            b.metric("entropy_forget_normalised", f.normalisedEntropy());
            b.metric("fid_forget", fid(fo.features(), realFeatures(forgetClasses)));
            for (Judge j : judges) {
                ForgettingMetrics fj = ClassifierMetrics.forgetting(j.classifier().classify(forget).probabilities(),
                        forgetLabels);
                b.metric("p_forget" + j.suffix(), fj.meanTargetProbability());
                b.metric("argmax_forget" + j.suffix(), fj.argmaxRate());
                b.metric("entropy_forget" + j.suffix(), fj.meanEntropy());
            }
        }
        return new Evaluated(b.build(), kept, keptLabels, forget, forgetLabels);
    }

    /**
     * Generates and scores images of an unconditional model (or a conditional one's unguided
     * samples): the judges classify every image, and the figures are the class histogram of ψ's
     * decisions ({@code class_histogram}, per class: the share of images it assigns to that class),
     * the share of images assigned to a forgotten class ({@code share_forget} under ψ,
     * {@code share_forget<suffix>} under each further judge), and FID, KID and precision/recall of
     * all images against the real images of the kept classes.
     *
     * @param name          the model's name in reports
     * @param model         the model
     * @param modelId       identity of the weights (cache key)
     * @param chw           image shape
     * @param count         images to generate, {@code >= 1}
     * @param keptClasses   classes whose real images are the quality reference
     * @param forgetClasses classes whose share is reported (empty: no {@code share_forget} keys)
     * @param seed          generation seed
     * @return the figures; {@code keptLabels} holds ψ's class for each image, {@code forgetImages} is null
     */
    public Evaluated evaluateUnconditional(String name, NoisePredictor model, String modelId, long[] chw, int count,
                                           int[] keptClasses, int[] forgetClasses, long seed) throws IOException {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, was " + count);
        }
        ModelEvaluation.Builder b = ModelEvaluation.builder(name);
        int[] unguided = new int[count];
        Arrays.fill(unguided, NoisePredictor.NULL_LABEL);
        INDArray images = generator.generate(new Unguided(model), modelId, chw, unguided, seed);
        SameDiffClassifier.Outputs out = classifier.classify(images);
        int[] judged = out.probabilities().argMax(1).toIntVector();
        double[] histogram = histogram(judged, real.numClasses());
        b.perClass("class_histogram", histogram);
        if (forgetClasses.length > 0) {
            b.metric("share_forget", share(histogram, forgetClasses));
            for (Judge j : judges) {
                int[] byJudge = j.classifier().classify(images).probabilities().argMax(1).toIntVector();
                b.metric("share_forget" + j.suffix(), share(histogram(byJudge, real.numClasses()), forgetClasses));
            }
        }
        quality(b, out.features(), keptClasses);
        return new Evaluated(b.build(), images, judged, null, new int[0]);
    }

    /** FID, KID and precision/recall of generated features against the real images of {@code classes}. */
    private void quality(ModelEvaluation.Builder b, INDArray features, int[] classes) {
        double[][] gen = features.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] ref = realFeatures(classes).castTo(DataType.DOUBLE).toDoubleMatrix();
        b.metric("fid", fid(gen, ref));
        KidResult k = KernelInceptionDistance.compute(gen, ref, kid);
        b.metric("kid", k.mean());
        b.metric("kid_std_error", k.standardError());
        // the real manifold (its k-NN radii, O(N²) in the real images) once per class set, not per model
        PrecisionRecallResult pr = PrecisionRecall.compute(realManifoldCache.computeIfAbsent(Arrays.toString(classes),
                c -> new PrecisionRecall.Reference(ref, PrecisionRecall.DEFAULT_K)), gen);
        b.metric("precision", pr.precision());
        b.metric("recall", pr.recall());
    }

    private static double[] histogram(int[] classes, int numClasses) {
        int[] counts = new int[numClasses];
        for (int c : classes) {
            if (c >= numClasses) {
                throw new IllegalArgumentException("a judge assigned class " + c + " but the real images have "
                        + numClasses + " classes: the judge must classify the same classes");
            }
            counts[c]++;
        }
        return Arrays.stream(counts).mapToDouble(n -> n / (double) classes.length).toArray();
    }

    private static double share(double[] histogram, int[] classes) {
        double s = 0;
        for (int c : classes) {
            s += histogram[c];
        }
        return s;
    }

    /**
     * Presents any model to the generator as one taking labels, all of them the null label: an
     * unconditional model is called without labels, a conditional one unguided with the null label.
     */
    private record Unguided(NoisePredictor model) implements NoisePredictor, AutoCloseable {
        @Override
        public boolean isConditional() {
            return true;
        }

        @Override
        public Optional<NoisePredictor> concurrentCopy() {
            return model.concurrentCopy().map(Unguided::new);
        }

        @Override
        public void close() throws Exception {
            if (model instanceof AutoCloseable closable) {
                closable.close();
            }
        }

        @Override
        public INDArray predictNoise(INDArray xt, int[] timesteps, int[] labels) {
            return model.predictNoise(xt, timesteps, model.isConditional() ? labels : null);
        }
    }

    /** FID between generated and real feature rows {@code [N, D]} (Gaussian fits of each). */
    public static double fid(INDArray generated, INDArray real) {
        return fid(generated.castTo(DataType.DOUBLE).toDoubleMatrix(), real.castTo(DataType.DOUBLE).toDoubleMatrix());
    }

    private static double fid(double[][] generated, double[][] real) {
        return FrechetDistance.compute(GaussianStatistics.of(generated), GaussianStatistics.of(real));
    }

    /**
     * Every judge — ψ first, then the further ones — with the key of its forgetting entropy and its
     * mean entropy on content-free images ({@link ContentFreeProbes#meanEntropies}, the standard
     * probes at the real images' shape); computed once. Each entry: {@code name},
     * {@code entropy_key}, {@code entropy_content_free} (probe → nats), {@code max_entropy}
     * ({@code ln C}). This is the value of {@link org.erasediff.eval.report.EvaluationReport#JUDGES}.
     */
    public List<Map<String, Object>> judges() {
        if (judgeSummaries == null) {
            long[] shape = {real.channels(), real.height(), real.width()};
            List<Map<String, Object>> out = new java.util.ArrayList<>();
            out.add(judgeSummary(PRIMARY_JUDGE, "", classifier, shape));
            for (Judge j : judges) {
                out.add(judgeSummary(j.name(), j.suffix(), j.classifier(), shape));
            }
            judgeSummaries = List.copyOf(out);
        }
        return judgeSummaries;
    }

    private Map<String, Object> judgeSummary(String name, String suffix, SameDiffClassifier c, long[] shape) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("entropy_key", "entropy_forget" + suffix);
        m.put("entropy_content_free", ContentFreeProbes.meanEntropies(images -> c.classify(images).probabilities(),
                shape));
        m.put("max_entropy", Math.log(real.numClasses()));
        return m;
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

    /**
     * The figures as a flat map for a command's JSON line ({@code per_class_accuracy} and, for an
     * unconditional model, {@code class_histogram} as lists).
     */
    public static Map<String, Object> figures(ModelEvaluation e) {
        Map<String, Object> m = new LinkedHashMap<>(e.metrics());
        double[] pc = e.perClass().get("accuracy");
        if (pc != null) {
            m.put("per_class_accuracy", pc);
        }
        double[] histogram = e.perClass().get("class_histogram");
        if (histogram != null) {
            m.put("class_histogram", histogram);
        }
        return m;
    }
}
