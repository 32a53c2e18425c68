package org.erasediff.core.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ClassifierFreeGuidanceTest {

    private static final double COND = 0.7;
    private static final double UNCOND = -0.4;
    private static final int NULL = NoisePredictor.NULL_LABEL;

    private final INDArray xt = Nd4j.rand(DataType.FLOAT, 3, 1, 2, 2);

    @Test
    void combinesBothHalvesOfOneStackedCall() {
        RecordingPredictor model = new RecordingPredictor(COND, UNCOND, true);
        INDArray before = xt.dup();
        INDArray eps = new ClassifierFreeGuidance(model, 2.0).predict(xt, 42, new int[] {0, 5, NULL});

        assertEquals(1, model.labels.size(), "one predictor call");
        assertArrayEquals(new int[] {0, 5, NULL, NULL, NULL, NULL}, model.labels.get(0));
        assertArrayEquals(new int[] {42, 42, 42, 42, 42, 42}, model.timesteps.get(0));
        assertArrayEquals(xt.shape(), eps.shape());
        double guided = (1 + 2.0) * COND - 2.0 * UNCOND;
        double[] rows = eps.reshape(3, 4).getColumn(0).toDoubleVector();
        assertArrayEquals(new double[] {guided, guided, UNCOND}, rows, 1e-6);
        assertEquals(before, xt, "input not modified");
    }

    @Test
    void zeroScaleSkipsTheUnconditionalHalf() {
        RecordingPredictor model = new RecordingPredictor(COND, UNCOND, true);
        INDArray eps = new ClassifierFreeGuidance(model, 0.0).predict(xt, 7, new int[] {1, 2, 3});
        assertEquals(1, model.labels.size());
        assertArrayEquals(new int[] {1, 2, 3}, model.labels.get(0));
        assertTrue(Arrays.stream(eps.reshape(-1).toDoubleVector()).allMatch(v -> Math.abs(v - COND) < 1e-6));
    }

    @Test
    void allNullLabelsNeedNoSecondHalf() {
        RecordingPredictor model = new RecordingPredictor(COND, UNCOND, true);
        INDArray eps = new ClassifierFreeGuidance(model, 2.0).predict(xt, 7, new int[] {NULL, NULL, NULL});
        assertEquals(3, model.labels.get(0).length);
        assertTrue(Arrays.stream(eps.reshape(-1).toDoubleVector()).allMatch(v -> Math.abs(v - UNCOND) < 1e-6));
    }

    @Test
    void unconditionalModelsGetNullLabels() {
        RecordingPredictor model = new RecordingPredictor(COND, UNCOND, false);
        ClassifierFreeGuidance guidance = new ClassifierFreeGuidance(model, 2.0);
        INDArray eps = guidance.predict(xt, 3, null);
        assertNull(model.labels.get(0));
        assertEquals(3, model.timesteps.get(0).length);
        assertTrue(Arrays.stream(eps.reshape(-1).toDoubleVector()).allMatch(v -> Math.abs(v - UNCOND) < 1e-6));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> guidance.predict(xt, 3, new int[] {1, 2, 3}))
                .getMessage().startsWith("the model is unconditional"));
    }

    @Test
    void rejectsWrongLabelCountsAndBrokenPredictors() {
        ClassifierFreeGuidance guidance = new ClassifierFreeGuidance(new RecordingPredictor(COND, UNCOND, true), 1.0);
        assertEquals("a conditional model needs one label per image: expected 3 labels, got 2",
                assertThrows(IllegalArgumentException.class, () -> guidance.predict(xt, 3, new int[] {1, 2}))
                        .getMessage());
        NoisePredictor broken = new NoisePredictor() {
            @Override
            public INDArray predictNoise(INDArray x, int[] timesteps, int[] labels) {
                return Nd4j.zeros(DataType.FLOAT, 1, 1, 2, 2);
            }

            @Override
            public boolean isConditional() {
                return true;
            }
        };
        assertEquals("the noise predictor must return FLOAT [6, 1, 2, 2], got FLOAT [1, 1, 2, 2]",
                assertThrows(IllegalStateException.class,
                        () -> new ClassifierFreeGuidance(broken, 1.0).predict(xt, 3, new int[] {1, 2, 3}))
                        .getMessage());
        assertEquals("guidance scale w must be finite and >= 0, got -1.0",
                assertThrows(IllegalArgumentException.class,
                        () -> new ClassifierFreeGuidance(broken, -1.0)).getMessage());
    }
}
