package org.erasediff.eval.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.sampling.NoisePredictor;
import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.eval.classifier.MnistClassifierNetwork;
import org.erasediff.eval.classifier.SameDiffClassifier;
import org.erasediff.eval.metrics.KidConfig;
import org.erasediff.eval.report.ModelEvaluation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ModelEvaluatorTest {

    @TempDir
    Path dir;

    /** Predicts noise that pulls every image towards a constant that depends on the label. */
    private static final NoisePredictor LABEL_BRIGHTNESS = new NoisePredictor() {
        private final NoiseSchedule s = NoiseSchedule.linear();

        @Override
        public INDArray predictNoise(INDArray xt, int[] timesteps, int[] labels) {
            INDArray eps = xt.dup();
            for (int i = 0; i < timesteps.length; i++) {
                double target = labels[i] == NULL_LABEL ? 0 : labels[i] / 5.0 - 0.9;
                double a = s.sqrtAlphaBar(timesteps[i]);
                double b = s.sqrtOneMinusAlphaBar(timesteps[i]);
                eps.slice(i).subi(a * target).divi(b);
            }
            return eps;
        }

        @Override
        public boolean isConditional() {
            return true;
        }
    };

    private static LabelledImages real() {
        int n = 40;
        byte[] px = new byte[n * 784];
        int[] labels = new int[n];
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            ids[i] = i;
            java.util.Arrays.fill(px, i * 784, (i + 1) * 784, (byte) (labels[i] * 25));
        }
        return new LabelledImages("flat", 1, 28, 28, 10, px, labels, ids);
    }

    @Test
    void generatesScoresAndCachesSamples() throws IOException {
        SampleGenerator gen = new SampleGenerator(NoiseSchedule.linear(), SamplerConfig.builder(4).optGuidanceScale(0).build(), 16,
                dir.resolve("cache"));
        ModelEvaluator ev = new ModelEvaluator(MnistClassifierNetwork.wrap(MnistClassifierNetwork.build(3)), gen,
                real(), KidConfig.builder().optSubsetSize(10).optNumSubsets(5).build());
        long[] chw = {1, 28, 28};
        ModelEvaluator.Evaluated e = ev.evaluate("m", LABEL_BRIGHTNESS, "oracle", chw, new int[] {1, 2, 3}, 6,
                new int[] {0}, 8, 5);
        ModelEvaluation m = e.evaluation();
        for (String k : new String[] {"accuracy", "fid", "kid", "precision", "recall", "p_forget", "entropy_forget"}) {
            assertTrue(Double.isFinite(m.metric(k)), k + " = " + m.metric(k));
        }
        assertTrue(m.metric("entropy_forget") >= 0 && m.metric("entropy_forget") <= Math.log(10) + 1e-9);
        assertEquals(18, e.keptLabels().length);
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1}, java.util.Arrays.copyOf(e.keptLabels(), 6));
        // the generated images follow the label: class 3 brighter than class 1
        double mean1 = e.keptImages().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 6)).meanNumber().doubleValue();
        double mean3 = e.keptImages().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(12, 18)).meanNumber().doubleValue();
        assertTrue(mean3 > mean1 + 0.2, mean1 + " vs " + mean3);
        double[] perClass = m.perClass().get("accuracy");
        assertTrue(Double.isNaN(perClass[0]) && !Double.isNaN(perClass[1]));
        try (var files = Files.list(dir.resolve("cache"))) {
            assertEquals(2, files.count(), "kept and forget samples are cached");
        }
        // a second evaluation reads the cache and gives identical images
        ModelEvaluator.Evaluated again = ev.evaluate("m", LABEL_BRIGHTNESS, "oracle", chw, new int[] {1, 2, 3}, 6,
                new int[] {0}, 8, 5);
        assertEquals(e.keptImages(), again.keptImages());
        Map<String, Object> fig = ModelEvaluator.figures(m);
        assertTrue(fig.containsKey("per_class_accuracy") && fig.containsKey("fid"));
    }

    /** Like {@link #LABEL_BRIGHTNESS}, but every image goes exactly to its label's brightness in {@link #real()}. */
    private static final NoisePredictor EXACT_BRIGHTNESS = new NoisePredictor() {
        private final NoiseSchedule s = NoiseSchedule.linear();

        @Override
        public INDArray predictNoise(INDArray xt, int[] timesteps, int[] labels) {
            INDArray eps = xt.dup();
            for (int i = 0; i < timesteps.length; i++) {
                double target = labels[i] == NULL_LABEL ? 0 : labels[i] * 25 / 127.5 - 1;
                eps.slice(i).subi(s.sqrtAlphaBar(timesteps[i]) * target).divi(s.sqrtOneMinusAlphaBar(timesteps[i]));
            }
            return eps;
        }

        @Override
        public boolean isConditional() {
            return true;
        }
    };

    /** A "classifier" that gives every image the same probability row (and uses it as its feature). */
    private static SameDiffClassifier fixedJudge(float[] row) {
        SameDiff sd = SameDiff.create();
        SDVariable image = sd.placeHolder("image", DataType.FLOAT, -1, 1, 28, 28);
        SDVariable zeros = sd.sum(image.mul(0), false, 1, 2, 3).reshape(-1, 1);
        zeros.add("p", sd.constant(Nd4j.createFromArray(row).reshape(1, row.length)));
        return new SameDiffClassifier(sd, "image", "p", "p", 50);
    }

    @Test
    void aSecondJudgeScoresTheForgottenClassAndFidForgetComparesWithItsRealImages() throws IOException {
        SampleGenerator gen = new SampleGenerator(NoiseSchedule.linear(),
                SamplerConfig.builder(4).optGuidanceScale(0).build(), 16, null);
        float[] row = {0.2f, 0.5f, 0.3f, 0, 0, 0, 0, 0, 0, 0};
        ModelEvaluator ev = new ModelEvaluator(MnistClassifierNetwork.wrap(MnistClassifierNetwork.build(3)),
                List.of(new ModelEvaluator.Judge("fixed", "_sa", fixedJudge(row))), gen, real(),
                KidConfig.builder().optSubsetSize(10).optNumSubsets(5).build());
        ModelEvaluation exact = ev.evaluate("exact", EXACT_BRIGHTNESS, "exact", new long[] {1, 28, 28},
                new int[] {1, 2, 3}, 6, new int[] {0}, 8, 5).evaluation();
        // the figures that existed before come first and in their order; the new ones follow
        assertEquals(List.of("accuracy", "fid", "kid", "kid_std_error", "precision", "recall", "p_forget",
                "argmax_forget", "entropy_forget", "entropy_forget_normalised", "fid_forget", "p_forget_sa",
                "argmax_forget_sa", "entropy_forget_sa"), List.copyOf(exact.metrics().keySet()));
        // the judge's figures are its own rows', computed by hand
        assertEquals(0.2, exact.metric("p_forget_sa"), 1e-6);
        assertEquals(0.0, exact.metric("argmax_forget_sa"));
        double h = -(0.2 * Math.log(0.2) + 0.5 * Math.log(0.5) + 0.3 * Math.log(0.3));
        assertEquals(h, exact.metric("entropy_forget_sa"), 1e-6);
        // the forgotten class's samples equal its real images: FID ≈ 0; pulled to another brightness: not
        assertEquals(0, exact.metric("fid_forget"), 1e-6);
        ModelEvaluation shifted = ev.evaluate("shifted", LABEL_BRIGHTNESS, "shifted", new long[] {1, 28, 28},
                new int[] {1, 2, 3}, 6, new int[] {0}, 8, 5).evaluation();
        assertTrue(shifted.metric("fid_forget") > 1e-3, "fid_forget " + shifted.metric("fid_forget"));
        assertEquals(h, shifted.metric("entropy_forget_sa"), 1e-6);

        List<Map<String, Object>> judges = ev.judges();
        assertEquals(List.of("ψ", "fixed"), judges.stream().map(j -> j.get("name")).toList());
        assertEquals(List.of("entropy_forget", "entropy_forget_sa"),
                judges.stream().map(j -> j.get("entropy_key")).toList());
        @SuppressWarnings("unchecked")
        Map<String, Double> cf = (Map<String, Double>) judges.get(1).get("entropy_content_free");
        assertEquals(List.of("black", "grey", "white", "uniform_noise", "speckles_10pct"), List.copyOf(cf.keySet()));
        cf.values().forEach(v -> assertEquals(h, v, 1e-6));
        assertEquals(Math.log(10), (Double) judges.get(0).get("max_entropy"), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new ModelEvaluator.Judge("x", "sa", fixedJudge(row)));
    }

    /** An unconditional model whose samples are exactly the brightness of class 3 in {@link #real()}. */
    private static final NoisePredictor UNCONDITIONAL_CLASS_3 = new NoisePredictor() {
        private final NoiseSchedule s = NoiseSchedule.linear();

        @Override
        public INDArray predictNoise(INDArray xt, int[] timesteps, int[] labels) {
            if (labels != null) {
                throw new IllegalStateException("an unconditional model gets no labels");
            }
            INDArray eps = xt.dup();
            for (int i = 0; i < timesteps.length; i++) {
                eps.slice(i).subi(s.sqrtAlphaBar(timesteps[i]) * (3 * 25 / 127.5 - 1))
                        .divi(s.sqrtOneMinusAlphaBar(timesteps[i]));
            }
            return eps;
        }

        @Override
        public boolean isConditional() {
            return false;
        }
    };

    @Test
    void anUnconditionalModelIsScoredByTheClassHistogramOfItsSamples() throws IOException {
        SampleGenerator gen = new SampleGenerator(NoiseSchedule.linear(), SamplerConfig.builder(4).build(), 16,
                dir.resolve("cache"));
        float[] row = {0.2f, 0.5f, 0.3f, 0, 0, 0, 0, 0, 0, 0};
        ModelEvaluator ev = new ModelEvaluator(MnistClassifierNetwork.wrap(MnistClassifierNetwork.build(3)),
                List.of(new ModelEvaluator.Judge("fixed", "_sa", fixedJudge(row))), gen, real(),
                KidConfig.builder().optSubsetSize(4).optNumSubsets(5).build());
        ModelEvaluator.Evaluated e = ev.evaluateUnconditional("u", UNCONDITIONAL_CLASS_3, "u3",
                new long[] {1, 28, 28}, 20, new int[] {3}, new int[] {1, 7}, 5);
        ModelEvaluation m = e.evaluation();
        double[] histogram = m.perClass().get("class_histogram");
        assertEquals(1.0, java.util.Arrays.stream(histogram).sum(), 1e-9);
        int[] judged = e.keptLabels();
        assertEquals(20, judged.length);
        for (int c = 0; c < 10; c++) {
            final int k = c;
            assertEquals(java.util.Arrays.stream(judged).filter(j -> j == k).count() / 20.0, histogram[c], 1e-9);
        }
        assertEquals(histogram[1] + histogram[7], m.metric("share_forget"), 1e-9);
        // the fixed judge puts every image in class 1: all of them are a forgotten class's
        assertEquals(1.0, m.metric("share_forget_sa"), 1e-9);
        // the samples are class 3's real images: FID against the kept class ≈ 0
        assertEquals(0, m.metric("fid"), 1e-6);
        assertTrue(Double.isFinite(m.metric("kid")) && Double.isFinite(m.metric("precision")));
        assertTrue(e.forgetImages() == null && !m.metrics().containsKey("accuracy"));
        assertArrayEquals(histogram, (double[]) ModelEvaluator.figures(m).get("class_histogram"));
    }

    @Test
    void fidOfIdenticalFeatureSetsIsZero() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 40, 6);
        assertEquals(0, ModelEvaluator.fid(a, a.dup()), 1e-6);
        assertTrue(ModelEvaluator.fid(a, a.add(0.5)) > 6 * 0.25 - 1e-4, "a shift of 0.5 in 6 dimensions");
    }
}
