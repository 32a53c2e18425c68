package org.erasediff.core.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.schedule.ScheduleType;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

class SamplerTest {

    private static final int NULL = NoisePredictor.NULL_LABEL;
    private static final double[] IMAGE = {0.8, -0.5, 0.1, -1.0};
    private static final double[] IMAGE_1 = {-0.3, 0.9, 0.0, 0.45};

    private final NoiseSchedule schedule = NoiseSchedule.linear();

    /** Predicts ε = 0.5·x_t: deterministic, but not an oracle, so the outputs depend on x_T. */
    private static final NoisePredictor SHRINK = new NoisePredictor() {
        @Override
        public INDArray predictNoise(INDArray xt, int[] timesteps, int[] labels) {
            return xt.mul(0.5);
        }

        @Override
        public boolean isConditional() {
            return false;
        }
    };

    @Test
    void ddimWithAnOracleReturnsTheCleanImage() {
        NoisePredictor oracle = new OraclePredictor(schedule, Map.of(NULL, IMAGE), false);
        SamplerConfig config = SamplerConfig.builder(20).optSpacing(TimestepSpacing.QUADRATIC).optClip(false).build();
        INDArray images = Sampler.builder(oracle, schedule, config, 1, 2, 2).build().generate(3, 11L);
        assertArrayEquals(new long[] {3, 1, 2, 2}, images.shape());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(IMAGE, images.slice(i).reshape(-1).toDoubleVector(), 1e-5);
        }
    }

    @Test
    void ancestralDdpmWithAnOracleReturnsTheCleanImage() {
        NoisePredictor oracle = new OraclePredictor(schedule, Map.of(NULL, IMAGE), false);
        INDArray images = Sampler.builder(oracle, schedule, SamplerConfig.DDPM, 1, 2, 2).build().generate(2, 5L);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(IMAGE, images.slice(i).reshape(-1).toDoubleVector(), 1e-5);
        }
    }

    @Test
    void conditionalChunksKeepTheirLabels() {
        NoisePredictor oracle = new OraclePredictor(schedule, Map.of(0, IMAGE, 1, IMAGE_1), true);
        SamplerConfig config = SamplerConfig.builder(10).optGuidanceScale(0).build();
        int[] labels = {1, 0, 0, 1, 1};
        INDArray images = Sampler.builder(oracle, schedule, config, 1, 2, 2).optBatchSize(2).build()
                .generate(labels, 3L);
        for (int i = 0; i < labels.length; i++) {
            double[] expected = labels[i] == 0 ? IMAGE : IMAGE_1;
            assertArrayEquals(expected, images.slice(i).reshape(-1).toDoubleVector(), 1e-5, "image " + i);
        }
    }

    @Test
    void sameSeedIsBitIdenticalDifferentSeedDiffers() {
        SamplerConfig config = SamplerConfig.builder(10).optEta(1.0).build();
        Sampler sampler = Sampler.builder(SHRINK, schedule, config, 1, 3, 3).optBatchSize(2).build();
        INDArray first = sampler.generate(3, 99L);
        assertEquals(first, sampler.generate(3, 99L));
        assertNotEquals(first, sampler.generate(3, 100L));
    }

    @Test
    @SuppressWarnings("try") // Random.close() declares InterruptedException
    void ddimIsDeterministicGivenTheStartingNoise() throws Exception {
        SamplerConfig config = SamplerConfig.builder(8).build();
        Sampler sampler = Sampler.builder(SHRINK, schedule, config, 1, 2, 2).build();
        INDArray images = sampler.generate(2, 77L);

        INDArray x = Nd4j.create(DataType.FLOAT, 2, 1, 2, 2);
        try (Random rng = Nd4j.getRandomFactory().getNewRandomInstance(77L)) {
            Nd4j.randn(x, rng);
        }
        DdimStep step = new DdimStep(schedule, 0.0, true);
        int[] ts = sampler.timesteps();
        for (int i = 0; i < ts.length; i++) {
            step.step(x, SHRINK.predictNoise(x, null, null), ts[i], i + 1 < ts.length ? ts[i + 1] : -1, null);
        }
        assertEquals(x, images);
    }

    @Test
    void guidedSamplingCallsThePredictorOncePerStepWithDoubleRowsAndReportsProgress() {
        RecordingPredictor model = new RecordingPredictor(0.1, -0.1, true);
        SamplerConfig config = SamplerConfig.builder(5).build();
        List<int[]> calls = new ArrayList<>();
        INDArray images = Sampler.builder(model, schedule, config, 1, 2, 2).optBatchSize(4).build()
                .generate(new int[] {0, 1, 2, 3, 4, 5}, 1L,
                        (chunk, chunks, step, steps) -> calls.add(new int[] {chunk, chunks, step, steps}));

        assertArrayEquals(new long[] {6, 1, 2, 2}, images.shape());
        assertEquals(10, model.labels.size(), "5 steps x 2 chunks, one call each");
        assertEquals(8, model.labels.get(0).length);
        assertArrayEquals(new int[] {4, 5, NULL, NULL}, model.labels.get(9));
        assertArrayEquals(new int[] {999, 999, 999, 999, 999, 999, 999, 999}, model.timesteps.get(0));
        assertEquals(10, calls.size());
        assertArrayEquals(new int[] {1, 2, 1, 5}, calls.get(0));
        assertArrayEquals(new int[] {2, 2, 5, 5}, calls.get(9));
    }

    @Test
    void outputIsAlwaysInMinusOneToOne() {
        RecordingPredictor model = new RecordingPredictor(-5.0, -5.0, false);
        SamplerConfig config = SamplerConfig.builder(4).optClip(false).optEta(1.0).build();
        INDArray images = Sampler.builder(model, schedule, config, 2, 3, 3).build().generate(4, 8L);
        assertEquals(1.0, images.maxNumber().doubleValue(), 0.0, "unclipped x0 would exceed 1");
        assertTrue(images.minNumber().doubleValue() >= -1.0);
    }

    @Test
    void rejectsInconsistentSetups() {
        NoiseSchedule small = NoiseSchedule.create(ScheduleConfig.builder(ScheduleType.LINEAR)
                .optTimesteps(50).build());
        assertEquals("steps must be in [1, T=50] for this schedule, got 100",
                assertThrows(IllegalArgumentException.class,
                        () -> Sampler.builder(SHRINK, small, SamplerConfig.DDIM_100, 1, 2, 2).build()).getMessage());
        assertEquals("imageShape must be [C, H, W] with positive sizes, got [2, 2]",
                assertThrows(IllegalArgumentException.class,
                        () -> Sampler.builder(SHRINK, schedule, SamplerConfig.DDIM_100, 2, 2).build()).getMessage());
        Sampler sampler = Sampler.builder(SHRINK, schedule, SamplerConfig.DDIM_100, 1, 2, 2).build();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> sampler.generate(new int[] {1}, 1L))
                .getMessage().startsWith("the model is unconditional"));
        assertEquals("number of images must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> sampler.generate(0, 1L)).getMessage());
    }
}
