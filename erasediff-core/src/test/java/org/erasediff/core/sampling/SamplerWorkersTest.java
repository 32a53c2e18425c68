package org.erasediff.core.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.erasediff.core.schedule.NoiseSchedule;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The {@link Sampler} sampling several chunks at once ({@code optWorkers}). */
class SamplerWorkersTest {

    private static final int NULL = NoisePredictor.NULL_LABEL;
    private final NoiseSchedule schedule = NoiseSchedule.linear();

    /**
     * The exact Gaussian-data predictor (outputs depend on x_T and the label) that hands out
     * copies, records which threads call it and which copies were closed.
     */
    private static final class CopyablePredictor implements NoisePredictor, AutoCloseable {
        private final NoisePredictor exact;
        final Set<String> threads;
        final List<CopyablePredictor> copies;
        final AtomicInteger closed;
        private final CountDownLatch bothRunning;

        CopyablePredictor(NoisePredictor exact, CountDownLatch bothRunning) {
            this(exact, Collections.synchronizedSet(new HashSet<>()), Collections.synchronizedList(new ArrayList<>()),
                    new AtomicInteger(), bothRunning);
        }

        private CopyablePredictor(NoisePredictor exact, Set<String> threads, List<CopyablePredictor> copies,
                                  AtomicInteger closed, CountDownLatch bothRunning) {
            this.exact = exact;
            this.threads = threads;
            this.copies = copies;
            this.closed = closed;
            this.bothRunning = bothRunning;
        }

        @Override
        public INDArray predictNoise(INDArray xt, int[] timesteps, int[] labels) {
            threads.add(Thread.currentThread().getName() + "#" + Thread.currentThread().getId());
            if (bothRunning != null) {
                bothRunning.countDown();
                try {
                    // each worker's first call waits (briefly) until the other's has started: proof they overlap
                    bothRunning.await(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return exact.predictNoise(xt, timesteps, labels);
        }

        @Override
        public boolean isConditional() {
            return exact.isConditional();
        }

        @Override
        public Optional<NoisePredictor> concurrentCopy() {
            CopyablePredictor copy = new CopyablePredictor(exact, threads, copies, closed, bothRunning);
            copies.add(copy);
            return Optional.of(copy);
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    private NoisePredictor exact() {
        return new GaussianOraclePredictor(schedule, Map.of(0, 0.3, 1, -0.4, 2, 0.1, NULL, 0.0), 0.5, true);
    }

    private static int[] labels(int n) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
        }
        return labels;
    }

    private Sampler sampler(NoisePredictor model, SamplerConfig config, int workers) {
        return Sampler.builder(model, schedule, config, 1, 3, 3).optBatchSize(4).optWorkers(workers).build();
    }

    @Test
    void workersGiveTheImagesOfOneWorkerBitForBit() {
        int[] labels = labels(11); // chunks of 4, 4 and 3
        for (SamplerConfig config : List.of(SamplerConfig.builder(12).optSolver(Solver.DPM_SOLVER_PP_2M).build(),
                SamplerConfig.builder(12).build())) {
            INDArray one = sampler(exact(), config, 1).generate(labels, 31L);
            CopyablePredictor model = new CopyablePredictor(exact(), new CountDownLatch(2));
            INDArray three = sampler(model, config, 3).generate(labels, 31L);
            assertEquals(one, three, config.solver() + ": the images must not depend on the number of workers");
            assertTrue(model.threads.size() >= 2, "chunks ran on several threads: " + model.threads);
            assertEquals(2, model.copies.size(), "two copies for three workers");
            assertEquals(2, model.closed.get(), "the sampler closes the copies it made, not the caller's model");
            assertNotEquals(one, sampler(exact(), config, 1).generate(labels, 32L), "the seed matters");
        }
    }

    @Test
    void severalRequestsAtOnceGiveEachRequestsOwnImages() {
        SamplerConfig config = SamplerConfig.builder(9).optSolver(Solver.DPM_SOLVER_PP_2M).build();
        int[] first = labels(9); // chunks 4, 4, 1
        int[] second = labels(6); // chunks 4, 2
        INDArray a = sampler(exact(), config, 1).generate(first, 11L);
        INDArray b = sampler(exact(), config, 1).generate(second, 12L);
        for (int workers : new int[] {1, 2, 3}) {
            List<INDArray> both = sampler(new CopyablePredictor(exact(), null), config, workers)
                    .generateAll(List.of(first, second), new long[] {11L, 12L}, SamplingProgress.NONE);
            assertEquals(a, both.get(0), workers + " workers, request 1");
            assertEquals(b, both.get(1), workers + " workers, request 2");
        }
        List<int[]> calls = Collections.synchronizedList(new ArrayList<>());
        sampler(new CopyablePredictor(exact(), null), config, 2).generateAll(List.of(first, second),
                new long[] {11L, 12L}, (chunk, chunks, step, steps) -> calls.add(new int[] {chunk, chunks}));
        assertEquals(5 * 9, calls.size(), "every step of the five chunks of both requests");
        assertTrue(calls.stream().allMatch(c -> c[1] == 5 && c[0] >= 1 && c[0] <= 5));
        assertThrows(IllegalArgumentException.class, () -> sampler(exact(), config, 2)
                .generateAll(List.of(first, second), new long[] {1L}, SamplingProgress.NONE));
    }

    @Test
    void neverMoreWorkersThanChunks() {
        CopyablePredictor model = new CopyablePredictor(exact(), null);
        sampler(model, SamplerConfig.builder(5).build(), 8).generate(labels(6), 1L); // 2 chunks
        assertEquals(1, model.copies.size());
    }

    @Test
    void aModelWithoutCopiesIsSampledOneChunkAtATime() {
        NoisePredictor plain = exact();
        INDArray images = sampler(plain, SamplerConfig.builder(6).build(), 4).generate(labels(9), 5L);
        assertEquals(sampler(exact(), SamplerConfig.builder(6).build(), 1).generate(labels(9), 5L), images);
    }

    @Test
    void progressArrivesOnceForEveryStepOfEveryChunk() {
        List<int[]> calls = Collections.synchronizedList(new ArrayList<>());
        CopyablePredictor model = new CopyablePredictor(exact(), null);
        sampler(model, SamplerConfig.builder(7).build(), 2).generate(labels(10), 3L,
                (chunk, chunks, step, steps) -> calls.add(new int[] {chunk, chunks, step, steps}));
        assertEquals(3 * 7, calls.size());
        Set<String> seen = new HashSet<>();
        for (int[] c : calls) {
            assertEquals(3, c[1]);
            assertEquals(7, c[3]);
            assertTrue(seen.add(c[0] + ":" + c[2]), "chunk " + c[0] + " step " + c[2] + " reported twice");
        }
    }

    @Test
    void aWorkerFailureReachesTheCaller() {
        IllegalStateException boom = new IllegalStateException("predictor broke");
        NoisePredictor failing = new NoisePredictor() {
            @Override
            public INDArray predictNoise(INDArray xt, int[] timesteps, int[] labels) {
                if (Thread.currentThread().getName().startsWith("sampler-worker")) {
                    throw boom;
                }
                return exact().predictNoise(xt, timesteps, labels);
            }

            @Override
            public boolean isConditional() {
                return true;
            }

            @Override
            public Optional<NoisePredictor> concurrentCopy() {
                return Optional.of(this);
            }
        };
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> sampler(failing, SamplerConfig.builder(4).build(), 2).generate(labels(8), 1L));
        assertSame(boom, thrown);
    }

    @Test
    void workersNeedADeterministicSampler() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sampler(exact(), SamplerConfig.builder(10).optEta(0.5).build(), 2));
        assertTrue(e.getMessage().contains("eta"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sampler(exact(), SamplerConfig.builder(10).build(), 0));
    }

    @Test
    void theOpThreadSettingComesBack() {
        int threads = Nd4j.getEnvironment().maxThreads();
        int master = Nd4j.getEnvironment().maxMasterThreads();
        sampler(new CopyablePredictor(exact(), null), SamplerConfig.builder(4).build(), 2)
                .generate(labels(8), 1L);
        assertEquals(threads, Nd4j.getEnvironment().maxThreads());
        assertEquals(master, Nd4j.getEnvironment().maxMasterThreads());
    }

    @Test
    void doublePrecisionImagesToo() {
        Sampler one = Sampler.builder(exact(), schedule, SamplerConfig.builder(6).build(), 1, 2, 2)
                .optBatchSize(2).optDataType(DataType.DOUBLE).build();
        Sampler two = Sampler.builder(new CopyablePredictor(exact(), null), schedule, SamplerConfig.builder(6).build(),
                1, 2, 2).optBatchSize(2).optDataType(DataType.DOUBLE).optWorkers(2).build();
        assertEquals(one.generate(labels(5), 8L), two.generate(labels(5), 8L));
    }
}
