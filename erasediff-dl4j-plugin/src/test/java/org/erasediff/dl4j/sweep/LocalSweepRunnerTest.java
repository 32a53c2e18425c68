package org.erasediff.dl4j.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.BaseStatusListener;
import org.erasediff.core.optim.UpdaterSettings;
import org.erasediff.core.unlearn.BaselineConfig;
import org.erasediff.core.unlearn.BaselineMethod;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.core.unlearn.ForgetTarget;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.unlearn.EraseDiffUnlearner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class LocalSweepRunnerTest {

    @TempDir
    Path dir;

    private static final TinySweepProblem PROBLEM = new TinySweepProblem(5);

    static EraseDiffConfig base() {
        return EraseDiffConfig.builder().optOuterSteps(3).optRemainBatchSize(8).optForgetBatchSize(8).optSeed(3)
                .optEmaDecay(0).build();
    }

    static EraseDiffSpace space() {
        return EraseDiffSpace.builder(base()).optLambda(0.1, 10).optLearningRate(1e-3, 3e-2)
                .optForgetTargets(ForgetTarget.uniform(), ForgetTarget.randomOtherClass()).build();
    }

    static SweepSettings settings(int n) {
        return SweepSettings.builder(n).optSeed(7).build();
    }

    @Test
    void severalCandidatesRunToCompletionOnCopiesAndAreStoredAsTheyFinish() throws IOException {
        AtomicInteger statusChanges = new AtomicInteger();
        SweepSummary s = LocalSweepRunner.builder(space(), PROBLEM, settings(4), dir)
                .addStatusListeners(new BaseStatusListener() {
                    @Override
                    public void onCandidateStatusChange(CandidateInfo info, IOptimizationRunner r,
                                                        OptimizationResult result) {
                        statusChanges.incrementAndGet();
                    }
                }).build().run();
        assertEquals(4, s.candidates());
        assertEquals(0, s.failed());
        assertTrue(statusChanges.get() >= 4, "Arbiter's status listener saw the candidates: " + statusChanges);
        List<SweepRecord> recs = SweepResults.open(dir).records();
        assertEquals(List.of(0, 1, 2, 3), recs.stream().map(SweepRecord::index).toList());
        assertEquals(4, recs.stream().map(SweepRecord::configHash).distinct().count(), "distinct candidates");
        for (SweepRecord r : recs) {
            double lambda = (Double) r.parameters().get("lambda");
            double lr = (Double) r.parameters().get("lr");
            assertTrue(lambda >= 0.1 && lambda <= 10 && lr >= 1e-3 && lr <= 3e-2, r.parameters().toString());
            assertTrue(r.metrics().keySet().containsAll(List.of("p_forget", "p_forget_sa", "fid_remain")));
            assertEquals(r.metrics().get("p_forget") + 0.01 * r.metrics().get("fid_remain"), r.objective(), 1e-12);
        }
        // the best is the lowest objective; the front holds it and nothing dominated
        double min = recs.stream().mapToDouble(SweepRecord::objective).min().orElseThrow();
        assertEquals(min, s.best().objective());
        assertTrue(s.pareto().stream().anyMatch(p -> p.index() == s.best().index()));
        for (SweepRecord p : s.pareto()) {
            for (SweepRecord q : recs) {
                boolean dominates = q.metrics().get("p_forget") <= p.metrics().get("p_forget")
                        && q.metrics().get("fid_remain") <= p.metrics().get("fid_remain")
                        && !q.metrics().equals(p.metrics());
                assertTrue(!dominates, q.index() + " dominates front member " + p.index());
            }
        }
        String description = Files.readString(dir.resolve(SweepPlan.DESCRIPTION));
        assertTrue(description.contains("\"candidates\" : 4") && description.contains("LogUniformDistribution(min=0.1,max=10.0)"),
                description);
        String csv = Files.readString(dir.resolve(SweepResults.CSV));
        assertEquals(5, csv.lines().count(), csv);
        assertTrue(csv.lines().findFirst().orElseThrow().startsWith("index,config_hash,method,status,lambda,"));
    }

    @Test
    void aCandidateRunsOnACopyAndLeavesTheBaseGraphUntouched() throws IOException {
        CandidateRunner runner = CandidateRunner.open(PROBLEM, SweepObjective.of(0.01));
        DiffusionGraph base = runner.base();
        INDArray before = base.sameDiff().getArrForVarName("conv2_W").dup();
        CandidateConfig c = new SweepPlan(space(), settings(1)).candidates().get(0);
        SweepRecord r = runner.run(0, c);
        assertTrue(r.isOk());
        assertEquals(before, base.sameDiff().getArrForVarName("conv2_W"));
        assertNotEquals(PROBLEM.scorer().score(base, "base"), r.metrics(), "the candidate's model moved");
    }

    @Test
    void aStoppedSweepResumesWithoutRerunningFinishedCandidates() throws IOException {
        Path whole = dir.resolve("whole");
        Path stopped = dir.resolve("stopped");
        LocalSweepRunner.builder(space(), PROBLEM, settings(4), whole).build().run();
        // stopped after two candidates (a budget of 2), with a cut-off third line as a crash leaves it
        LocalSweepRunner.builder(space(), PROBLEM, settings(2), stopped).build().run();
        Files.writeString(stopped.resolve(SweepResults.JSONL), "{\"index\":2,\"config_h",
                java.nio.file.StandardOpenOption.APPEND);
        int before = TinySweepProblem.SCORED.get();
        SweepSummary s = LocalSweepRunner.builder(space(), PROBLEM, settings(4), stopped).build().run();
        assertEquals(2, TinySweepProblem.SCORED.get() - before, "only candidates 2 and 3 ran again");
        assertEquals(4, s.candidates());
        assertEquals(strip(SweepResults.open(whole).records()), strip(SweepResults.open(stopped).records()));
        // a finished sweep resumed again runs nothing
        before = TinySweepProblem.SCORED.get();
        LocalSweepRunner.builder(space(), PROBLEM, settings(4), stopped).build().run();
        assertEquals(before, TinySweepProblem.SCORED.get());
    }

    /** Records without their wall times. */
    static List<String> strip(List<SweepRecord> records) {
        return records.stream().map(r -> SweepResults.toJson(r).replaceAll("\"seconds\":[^,]*,", "")).toList();
    }

    @Test
    void resultsOfAnotherSweepAreRefused() throws IOException {
        LocalSweepRunner.builder(space(), PROBLEM, settings(1), dir).build().run();
        LocalSweepRunner other = LocalSweepRunner.builder(space(), PROBLEM,
                SweepSettings.builder(1).optSeed(8).build(), dir).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, other::run);
        assertTrue(e.getMessage().contains("different sweep"), e.getMessage());
    }

    @Test
    void theExportedBestConfigIsTheConfigsOwnJsonAndReproducesItsScore() throws IOException {
        SweepSummary s = LocalSweepRunner.builder(space(), PROBLEM, settings(3), dir).build().run();
        String text = Files.readString(dir.resolve(SweepSummary.BEST_CONFIG));
        EraseDiffConfig cfg = EraseDiffConfig.fromJson(text);
        assertEquals(cfg.toJson(), text, "exactly EraseDiffConfig.toJson()");
        DiffusionGraph unlearned = EraseDiffUnlearner.builder(cfg).optSchedule(PROBLEM.schedule()).build()
                .unlearn(PROBLEM.baseModel(), PROBLEM.split()).model();
        assertEquals(s.best().metrics(), PROBLEM.scorer().score(unlearned, "again"));
    }

    @Test
    void gridSearchWalksALogSpacedGridAndStopsAtItsSize() throws IOException {
        EraseDiffSpace grid = EraseDiffSpace.builder(base()).optLambda(0.1, 10).build();
        SweepSummary s = LocalSweepRunner.builder(grid, PROBLEM, SweepSettings.builder(10)
                .optSearch(SweepSettings.Search.GRID).optGridPoints(3).build(), dir).build().run();
        assertEquals(3, s.candidates());
        List<Double> lambdas = SweepResults.open(dir).records().stream()
                .map(r -> (Double) r.parameters().get("lambda")).toList();
        assertEquals(0.1, lambdas.get(0), 1e-9);
        assertEquals(1.0, lambdas.get(1), 1e-9);
        assertEquals(10.0, lambdas.get(2), 1e-9);
    }

    @Test
    void aTimeBudgetStopsStartingCandidates() throws IOException {
        // Every candidate takes at least 300 ms, so 50 of them cannot fit into a 2 s budget on any machine.
        SweepSummary s = LocalSweepRunner.builder(space(), new SlowProblem(PROBLEM, 300),
                SweepSettings.builder(50).optMaxSeconds(2).optSeed(7).build(), dir).build().run();
        assertTrue(s.candidates() >= 1 && s.candidates() < 50, "stopped by time: " + s.candidates());
    }

    /** A problem whose scorer sleeps, so that candidates take a known minimum time. */
    private record SlowProblem(TinySweepProblem inner, long sleepMillis) implements SweepProblem {
        @Override
        public DiffusionGraph baseModel() {
            return inner.baseModel();
        }

        @Override
        public org.erasediff.core.data.ForgetRemainSplit split() {
            return inner.split();
        }

        @Override
        public org.erasediff.core.schedule.ScheduleConfig schedule() {
            return inner.schedule();
        }

        @Override
        public SweepScorer scorer() {
            SweepScorer s = inner.scorer();
            return (model, id) -> {
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                return s.score(model, id);
            };
        }
    }

    @Test
    void aDivergingCandidateIsRecordedAsFailedAndNotRunAgain() throws IOException {
        EraseDiffConfig wild = base().toBuilder().optUpdater(UpdaterSettings.sgd(1e30)).optClipNorm(0).build();
        EraseDiffSpace space = EraseDiffSpace.builder(wild).build();
        SweepSummary s = LocalSweepRunner.builder(space, PROBLEM, settings(1), dir).build().run();
        assertEquals(1, s.candidates());
        assertEquals(1, s.failed());
        assertEquals(null, s.best());
        SweepRecord r = SweepResults.open(dir).records().get(0);
        assertEquals(SweepRecord.FAILED, r.status());
        assertTrue(r.error() != null && !r.error().isBlank());
        assertTrue(!Files.exists(dir.resolve(SweepSummary.BEST_CONFIG)));
        int before = TinySweepProblem.SCORED.get();
        assertEquals(1, LocalSweepRunner.builder(space, PROBLEM, settings(1), dir).build().run().failed());
        assertEquals(before, TinySweepProblem.SCORED.get());
    }

    @Test
    void baselinesAreSweptToo() throws IOException {
        BaselineConfig b = BaselineConfig.builder(new BaselineMethod.NegGrad()).optSteps(2).optRemainBatchSize(8)
                .optForgetBatchSize(8).optEmaDecay(0).optUpdater(UpdaterSettings.adam(1e-3)).build();
        BaselineSpace space = BaselineSpace.builder(b).optLearningRate(1e-4, 1e-2).optSteps(1, 3).build();
        SweepSummary s = LocalSweepRunner.builder(space, PROBLEM, settings(2), dir).build().run();
        assertEquals(2, s.candidates());
        assertEquals("neggrad", s.best().method());
        BaselineConfig best = BaselineConfig.fromJson(Files.readString(dir.resolve(SweepSummary.BEST_CONFIG)));
        assertEquals(s.best().parameters().get("lr"), best.updater().learningRate());
        assertNotEquals(b.updater().learningRate(), best.updater().learningRate());
    }
}
