package org.erasediff.eval.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.erasediff.core.sampling.NoisePredictor;
import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.sampling.Solver;
import org.erasediff.core.schedule.NoiseSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link SampleGenerator}: several requests at once, workers, and the per-request cache. */
class SampleGeneratorTest {

    @TempDir
    Path dir;

    /** ε = 0.3·x_t + 0.1·label: deterministic, depends on x_T and the label; copies count the calls. */
    private static final class Counting implements NoisePredictor {
        final AtomicInteger rows;

        Counting(AtomicInteger rows) {
            this.rows = rows;
        }

        @Override
        public INDArray predictNoise(INDArray xt, int[] timesteps, int[] labels) {
            rows.addAndGet(timesteps.length);
            INDArray eps = xt.mul(0.3);
            for (int i = 0; i < labels.length; i++) {
                eps.slice(i).addi(0.1 * labels[i]);
            }
            return eps;
        }

        @Override
        public boolean isConditional() {
            return true;
        }

        @Override
        public Optional<NoisePredictor> concurrentCopy() {
            return Optional.of(new Counting(rows));
        }
    }

    private static final SamplerConfig DPM = SamplerConfig.builder(6).optSolver(Solver.DPM_SOLVER_PP_2M)
            .optGuidanceScale(0).build();
    private static final long[] CHW = {1, 4, 4};

    @Test
    void requestsTogetherGiveTheImagesOfRequestsAloneAndAreCachedOneByOne() throws IOException {
        int[] kept = {1, 1, 2, 2, 3, 3, 1};
        int[] forget = {0, 0, 0};
        SampleGenerator alone = new SampleGenerator(NoiseSchedule.linear(), DPM, 3, null, 1);
        INDArray keptAlone = alone.generate(new Counting(new AtomicInteger()), "m", CHW, kept, 5);
        INDArray forgetAlone = alone.generate(new Counting(new AtomicInteger()), "m", CHW, forget, 6);

        Path cache = dir.resolve("cache");
        SampleGenerator together = new SampleGenerator(NoiseSchedule.linear(), DPM, 3, cache, 2);
        AtomicInteger rows = new AtomicInteger();
        List<INDArray> both = together.generateAll(new Counting(rows), "m", CHW, List.of(kept, forget),
                new long[] {5, 6});
        assertEquals(keptAlone, both.get(0));
        assertEquals(forgetAlone, both.get(1));
        assertEquals((kept.length + forget.length) * 6, rows.get(), "every image sampled once, 6 steps each");
        try (var files = Files.list(cache)) {
            assertEquals(2, files.count(), "one cache file per request");
        }

        rows.set(0);
        int[] more = {2, 2};
        List<INDArray> again = together.generateAll(new Counting(rows), "m", CHW, List.of(kept, more),
                new long[] {5, 7});
        assertEquals(keptAlone, again.get(0), "read from the cache");
        assertEquals(more.length * 6, rows.get(), "only the request not cached is sampled");
        assertTrue(together.workers() == 2);
    }

    @Test
    void badRequestsAreRefused() {
        SampleGenerator g = new SampleGenerator(NoiseSchedule.linear(), DPM, 3, null, 1);
        assertThrows(IllegalArgumentException.class, () -> g.generateAll(new Counting(new AtomicInteger()), "m", CHW,
                List.of(new int[] {1}), new long[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> new SampleGenerator(NoiseSchedule.linear(), DPM, 3, null, 0));
    }

    @Test
    void defaultWorkersAreOnePerOpThreadForADeterministicSamplerOnly() {
        assertEquals(Math.min(Runtime.getRuntime().availableProcessors(),
                org.nd4j.linalg.factory.Nd4j.getEnvironment().maxThreads()), SampleGenerator.defaultWorkers(DPM));
        assertEquals(1, SampleGenerator.defaultWorkers(SamplerConfig.builder(10).optEta(1.0).build()));
    }
}
