package org.erasediff.eval.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.sampling.NoisePredictor;
import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.eval.classifier.MnistClassifierNetwork;
import org.erasediff.eval.metrics.KidConfig;
import org.erasediff.eval.report.ModelEvaluation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

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
}
