package org.erasediff.dl4j.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.optim.NanPolicy;
import org.erasediff.core.optim.ParameterSelection;
import org.erasediff.core.optim.UpdaterSettings;
import org.erasediff.core.unlearn.EarlyStopSettings;
import org.erasediff.dl4j.checkpoint.CheckpointStore;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.listen.RunContext;
import org.erasediff.dl4j.listen.RunListener;
import org.erasediff.dl4j.listen.StepMetrics;
import org.erasediff.testing.TinyGraphs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.listeners.checkpoint.CheckpointListener;
import org.nd4j.autodiff.listeners.impl.ScoreListener;
import org.nd4j.autodiff.samediff.SameDiff;

class TrainingLoopTest {

    @TempDir
    Path dir;

    private static final LabelledImages DATA = TinyGraphs.stripes(40);

    private static DiffusionGraph model() {
        return new DiffusionGraph(TinyGraphs.conditional(3, 5), TinyGraphs.conditionalSpec(3));
    }

    private static LoopSettings settings(int steps, double emaDecay, NanPolicy nan) {
        return new LoopSettings(steps, UpdaterSettings.adam(1e-2), null, 1.0, emaDecay, false, nan,
                ParameterSelection.all(), 11);
    }

    private static void assertSameWeights(SameDiff a, SameDiff b) {
        for (String n : DiffusionGraph.parameterNames(a)) {
            assertEquals(a.getArrForVarName(n), b.getArrForVarName(n), n + " differs");
        }
    }

    /** A rollback restores parameters, Adam state and count, the batch stream and (never touched) the EMA. */
    @Test
    void aTransientNanIsRolledBackExactlyWithTheEmaOn() throws IOException {
        NanPolicy retrySameStep = new NanPolicy(2, 1.0);
        LoopResult clean = TrainingLoop.builder(model(), new TinyDenoisingStep(DATA, 8, -1, 0),
                settings(6, 0.9, retrySameStep)).build().run();
        TinyDenoisingStep poisoned = new TinyDenoisingStep(DATA, 8, 3, 1);
        List<String> rollbacks = new ArrayList<>();
        RunListener recorder = new RunListener() {
            @Override
            public void onRollback(int step, String reason, double newStepScale, RunContext context) {
                rollbacks.add(step + ": " + reason);
            }
        };
        LoopResult r = TrainingLoop.builder(model(), poisoned, settings(6, 0.9, retrySameStep))
                .addListeners(recorder).build().run();
        assertEquals(1, rollbacks.size(), rollbacks.toString());
        assertTrue(rollbacks.get(0).startsWith("3: non-finite update direction"), rollbacks.get(0));
        assertEquals(7, poisoned.computeCalls, "six steps and one retry");
        assertSameWeights(clean.model().sameDiff(), r.model().sameDiff());
    }

    @Test
    void resumeIsExactAfterARollbackThatLoweredTheStep() throws IOException {
        NanPolicy halve = new NanPolicy(2, 0.5);
        LoopResult full = TrainingLoop.builder(model(), new TinyDenoisingStep(DATA, 8, 2, 1),
                settings(8, 0.9, halve)).build().run();
        assertEquals(0.5, full.history().get(7).stepScale());
        CheckpointStore store = new CheckpointStore(dir.resolve("ck"), 5);
        TrainingLoop.builder(model(), new TinyDenoisingStep(DATA, 8, 2, 1), settings(8, 0.9, halve))
                .optCheckpoints(store, 2).build().run();
        List<CheckpointStore.Checkpoint> cks = store.list();
        // keep only the checkpoint after step 4 (written after the rollback at step 2)
        for (CheckpointStore.Checkpoint ck : cks) {
            if (ck.step() != 4) {
                deleteTree(ck.dir());
            }
        }
        LoopResult resumed = TrainingLoop.builder(model(), new TinyDenoisingStep(DATA, 8, -1, 0),
                settings(8, 0.9, halve)).optCheckpoints(store, 2).build().run();
        assertEquals(4, resumed.startStep());
        assertEquals(8, resumed.history().size());
        assertEquals(full.history().get(7).loss(), resumed.history().get(7).loss());
        assertSameWeights(full.model().sameDiff(), resumed.model().sameDiff());
    }

    @Test
    void persistentNanAbortsWithAReportAndEndHooksStillFire() {
        Throwable[] seen = new Throwable[1];
        boolean[] ended = {false};
        RunListener end = new RunListener() {
            @Override
            public void onEnd(RunContext context, Throwable failure) {
                ended[0] = true;
                seen[0] = failure;
            }
        };
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> TrainingLoop.builder(model(), new TinyDenoisingStep(DATA, 8, 1, 100),
                        settings(4, 0.9, new NanPolicy(2, 0.5))).addListeners(end).build().run());
        assertTrue(e.getMessage().contains("step 1 after 3 attempts"), e.getMessage());
        assertTrue(ended[0]);
        assertSame(e, seen[0]);
    }

    @Test
    void earlyStopEndsTheRunAndAResumeDoesNotRunOn() throws IOException {
        EarlyStopSettings stop = new EarlyStopSettings(EarlyStopSettings.Metric.REMAIN_LOSS, 2, 1e9, 0.0);
        CheckpointStore store = new CheckpointStore(dir.resolve("es"), 2);
        // report the loss as L_r so that the loop's early stop can watch it
        StepAlgorithm remain = new ForwardingStep(new TinyDenoisingStep(DATA, 8, -1, 0)) {
            @Override
            public StepLosses computeDirection(int step, LoopState state) {
                StepLosses l = super.computeDirection(step, state);
                return new StepLosses(l.loss(), l.loss(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN);
            }
        };
        LoopResult r = TrainingLoop.builder(model(), remain, settings(20, 0, NanPolicy.defaults()))
                .optEarlyStop(stop).optCheckpoints(store, 50).build().run();
        // minDelta 1e9: only the first step improves (on +∞), so the run stops `patience` steps later
        assertEquals(3, r.history().size());
        assertTrue(r.stoppedEarly() && r.stopReason().startsWith("early stop"), r.stopReason());
        LoopResult again = TrainingLoop.builder(model(), remain, settings(20, 0, NanPolicy.defaults()))
                .optEarlyStop(stop).optCheckpoints(store, 50).build().run();
        assertEquals(3, again.history().size(), "a stopped run stays stopped");
    }

    @Test
    void probesSeeTheWeightsThatWillBeReturned() throws IOException {
        List<Double> live = new ArrayList<>();
        List<Double> returned = new ArrayList<>();
        RunListener probe = new RunListener() {
            @Override
            public boolean onStep(StepMetrics m, RunContext ctx) {
                live.add(ctx.liveModel().sameDiff().getArrForVarName("conv2_W").sumNumber().doubleValue());
                returned.add(ctx.withReturnedWeights(g -> g.sameDiff().getArrForVarName("conv2_W").sumNumber()
                        .doubleValue()));
                return true;
            }
        };
        LoopResult r = TrainingLoop.builder(model(), new TinyDenoisingStep(DATA, 8, -1, 0),
                settings(3, 0.9, NanPolicy.defaults())).addListeners(probe).build().run();
        double result = r.model().sameDiff().getArrForVarName("conv2_W").sumNumber().doubleValue();
        assertEquals(result, returned.get(2), 1e-5, "the probe saw the EMA weights that were returned");
        assertFalse(Math.abs(live.get(2) - returned.get(2)) < 1e-7, "live and averaged weights differ");
    }

    /** DL4J's own listeners, not ones written for the test: ScoreListener reads the batch, CheckpointListener saves. */
    @Test
    void standardSameDiffListenersGetTheRealBatch() throws IOException {
        File ckDir = dir.resolve("dl4j-ck").toFile();
        assertTrue(ckDir.mkdirs());
        CheckpointListener ck = CheckpointListener.builder(ckDir).saveEveryNIterations(2).keepAll().build();
        ScoreListener score = new ScoreListener(1, true, true);
        TrainingLoop.builder(model(), new TinyDenoisingStep(DATA, 8, -1, 0), settings(4, 0, NanPolicy.defaults()))
                .addSameDiffListeners(List.of(score, ck)).build().run();
        assertFalse(ck.availableCheckpoints().isEmpty(), "CheckpointListener saved the model");
        SameDiff saved = ck.loadCheckpoint(ck.availableCheckpoints().get(0).getCheckpointNum(), false);
        assertNotNull(saved.getVariable("conv2_W"));
    }

    @Test
    void provenanceIsTypedAndRoundTrips() throws IOException {
        LoopResult r = TrainingLoop.builder(model(), new TinyDenoisingStep(DATA, 8, -1, 0),
                settings(1, 0, NanPolicy.defaults())).optProvenance("input", "abc").build().run();
        RunProvenance p = r.provenance();
        assertEquals("tiny", p.method());
        assertEquals(DATA.contentHash(), p.data().get("train").sha256());
        assertEquals("abc", p.inputs().get("input"));
        assertTrue(p.versions().get("nd4j_api").startsWith("1.0.0"), p.versions().toString());
        assertFalse(p.versions().get("erasediff").equals("unknown"), p.versions().toString());
        assertEquals(p, RunProvenance.fromJson(p.toJson()));
        assertNull(r.stopReason());
    }

    private static void deleteTree(Path p) throws IOException {
        try (var w = Files.walk(p)) {
            w.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** Delegates every call; tests override one. */
    private static class ForwardingStep implements StepAlgorithm {
        private final StepAlgorithm d;

        ForwardingStep(StepAlgorithm d) {
            this.d = d;
        }

        @Override
        public String name() {
            return d.name();
        }

        @Override
        public String configJson() {
            return d.configJson();
        }

        @Override
        public java.util.Map<String, DataDescription> data() {
            return d.data();
        }

        @Override
        public void prepare(LoopState state) {
            d.prepare(state);
        }

        @Override
        public void drawBatch(int step, LoopState state) {
            d.drawBatch(step, state);
        }

        @Override
        public org.nd4j.linalg.dataset.api.MultiDataSet listenerBatch() {
            return d.listenerBatch();
        }

        @Override
        public StepLosses computeDirection(int step, LoopState state) {
            return d.computeDirection(step, state);
        }
    }
}
