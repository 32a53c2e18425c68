package org.erasediff.dl4j.unlearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.optim.NanPolicy;
import org.erasediff.core.optim.ParameterSelection;
import org.erasediff.core.optim.UpdaterSettings;
import org.erasediff.core.unlearn.EarlyStopSettings;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.core.unlearn.ForgetTarget;
import org.erasediff.core.unlearn.LambdaRule;
import org.erasediff.core.unlearn.RemainTarget;
import org.erasediff.dl4j.checkpoint.CheckpointStore;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.listen.RunContext;
import org.erasediff.dl4j.listen.RunListener;
import org.erasediff.dl4j.listen.StepMetrics;
import org.erasediff.dl4j.loop.TrainingDivergedException;
import org.erasediff.testing.TinyGraphs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

class EraseDiffUnlearnerTest {

    @TempDir
    Path dir;

    private static final LabelledImages DATA = TinyGraphs.stripes(48);

    private static DiffusionGraph model() {
        return new DiffusionGraph(TinyGraphs.conditional(3, 5), TinyGraphs.conditionalSpec(3));
    }

    private static EraseDiffConfig.Builder small() {
        return EraseDiffConfig.builder().optOuterSteps(6).optRemainBatchSize(8).optForgetBatchSize(8).optSeed(3)
                .optUpdater(UpdaterSettings.adam(1e-2)).optEmaDecay(0);
    }

    private static ForgetRemainSplit forgetClass0() {
        return ForgetRemainSplit.byClasses(DATA, List.of(0));
    }

    @Test
    void forgetLossFallsAsTheModelLearnsTheUniformTargetAndTheInputIsUntouched() throws IOException {
        DiffusionGraph m = model();
        INDArray before = m.sameDiff().getArrForVarName("conv2_W").dup();
        EraseDiffConfig cfg = small().optOuterSteps(40).optLambdaRule(new LambdaRule.Fixed(1.0)).build();
        UnlearningResult r = EraseDiffUnlearner.builder(cfg).build().unlearn(m, forgetClass0());
        assertEquals(40, r.history().size());
        assertEquals(before, m.sameDiff().getArrForVarName("conv2_W"));
        // the model moves towards predicting uniform noise on the forget class: L_f falls
        double first = r.history().subList(0, 5).stream().mapToDouble(StepMetrics::forgetLoss).average().orElseThrow();
        double last = r.history().subList(35, 40).stream().mapToDouble(StepMetrics::forgetLoss).average().orElseThrow();
        assertTrue(last < first, "L_f should fall: " + first + " -> " + last);
        assertEquals(forgetClass0().forget().contentHash(), r.provenance().data().get("forget").sha256());
    }

    /** Plain SGD with lr 1 makes the update exactly −δ, so the directions themselves are compared (Adam would hide scale). */
    @Test
    void stackedAndSeparatePassesGiveTheSameDirectionWithUnequalBatches() throws IOException {
        EraseDiffConfig stacked = small().optOuterSteps(1).optRemainBatchSize(8).optForgetBatchSize(4)
                .optUpdater(UpdaterSettings.sgd(1.0)).optLambdaRule(new LambdaRule.Fixed(0.3)).optClipNorm(0).build();
        EraseDiffConfig separate = stacked.toBuilder().optMonitorQ(true).optInnerSteps(2).build();
        DiffusionGraph m = model();
        SameDiff a = EraseDiffUnlearner.builder(stacked).build().unlearn(m, forgetClass0()).model().sameDiff();
        UnlearningResult rb = EraseDiffUnlearner.builder(separate).build().unlearn(m, forgetClass0());
        SameDiff b = rb.model().sameDiff();
        double moved = 0;
        for (String n : DiffusionGraph.parameterNames(a)) {
            INDArray da = a.getArrForVarName(n).sub(m.sameDiff().getArrForVarName(n));
            INDArray db = b.getArrForVarName(n).sub(m.sameDiff().getArrForVarName(n));
            assertTrue(da.equalsWithEps(db, 1e-5), n + ": " + da + " vs " + db);
            moved += da.norm2Number().doubleValue();
        }
        assertTrue(moved > 1e-3, "the step moved the parameters");
        StepMetrics s = rb.history().get(0);
        assertTrue(Double.isFinite(s.q()), "q is measured when monitored");
        assertTrue(s.q() > 0, "K descent steps on f lower f: q = " + s.q());
        assertEquals(s.forgetLoss() - s.innerForgetLoss(), s.q(), 1e-12);
        assertTrue(s.remainGradNorm() > 0 && s.forgetGradNorm() > 0);
    }

    /**
     * With the original model as the remain target the remain loss starts at zero, so with λ = 0 the
     * model stays where it was; the drawn noise as the target moves it. Plain SGD, so that a zero
     * gradient is a zero step (Adam would turn rounding-level gradients into full steps).
     */
    @Test
    void theOriginalAsRemainTargetHoldsTheModelWhereNothingElsePulls() throws IOException {
        DiffusionGraph m = model();
        EraseDiffConfig noise = small().optOuterSteps(3).optUpdater(UpdaterSettings.sgd(0.5))
                .optLambdaRule(new LambdaRule.Fixed(0.0)).build();
        EraseDiffConfig original = noise.toBuilder().optRemainTarget(RemainTarget.ORIGINAL).build();
        UnlearningResult held = EraseDiffUnlearner.builder(original).build().unlearn(m, forgetClass0());
        UnlearningResult moved = EraseDiffUnlearner.builder(noise).build().unlearn(m, forgetClass0());
        assertEquals(0.0, held.history().get(0).remainLoss(), 1e-12, "the original predicts its own targets");
        assertTrue(moved.history().get(0).remainLoss() > 0.01, "the drawn noise is not the prediction");
        double heldMove = 0;
        double noiseMove = 0;
        for (String n : DiffusionGraph.parameterNames(m.sameDiff())) {
            INDArray p = m.sameDiff().getArrForVarName(n);
            heldMove += held.model().sameDiff().getArrForVarName(n).sub(p).norm2Number().doubleValue();
            noiseMove += moved.model().sameDiff().getArrForVarName(n).sub(p).norm2Number().doubleValue();
        }
        assertTrue(noiseMove > 1e-2, "the denoising loss moves the model: " + noiseMove);
        assertTrue(heldMove < 1e-6 * noiseMove, "the original as target holds it: " + heldMove + " vs " + noiseMove);
        // weight w: the target w·prediction + (1 − w)·ε is (1 − w)·(ε − prediction) away from the prediction
        UnlearningResult half = EraseDiffUnlearner.builder(original.toBuilder().optRemainOriginalWeight(0.5).build())
                .build().unlearn(m, forgetClass0());
        assertEquals(0.25 * moved.history().get(0).remainLoss(), half.history().get(0).remainLoss(),
                1e-6 * moved.history().get(0).remainLoss());
    }

    @Test
    void frozenParametersDoNotMove() throws IOException {
        DiffusionGraph m = model();
        EraseDiffConfig cfg = small().optParameters(ParameterSelection.of(List.of("conv2_"), List.of())).build();
        SameDiff out = EraseDiffUnlearner.builder(cfg).build().unlearn(m, forgetClass0()).model().sameDiff();
        for (String n : List.of("conv1_W", "conv1_b", "time_W", "class_table")) {
            assertEquals(m.sameDiff().getArrForVarName(n), out.getArrForVarName(n), n + " is frozen");
        }
        assertFalse(m.sameDiff().getArrForVarName("conv2_W").equals(out.getArrForVarName("conv2_W")));
    }

    @Test
    void everyLambdaRuleAndTargetRuns() throws IOException {
        for (LambdaRule rule : List.of(new LambdaRule.BomeRatio(0.1), new LambdaRule.ValueGap(0.1),
                new LambdaRule.ReferenceCosine(0.1))) {
            for (ForgetTarget target : List.of(ForgetTarget.uniform(), ForgetTarget.fixedClass(2),
                    ForgetTarget.randomOtherClass(), ForgetTarget.randomOtherClassPerSample(),
                    ForgetTarget.shiftedGaussian(0.5))) {
                EraseDiffConfig cfg = small().optOuterSteps(2).optLambdaRule(rule).optForgetTarget(target).build();
                UnlearningResult r = EraseDiffUnlearner.builder(cfg).build().unlearn(model(), forgetClass0());
                for (StepMetrics m : r.history()) {
                    assertTrue(m.lambda() >= 0 && Double.isFinite(m.lambda()), rule + " " + target + ": " + m);
                }
            }
        }
    }

    @Test
    void referenceModeReportsTheRoundConstantAndQ() throws IOException {
        EraseDiffConfig cfg = small().optMode(EraseDiffConfig.Mode.REFERENCE_COMPATIBLE).optOuterSteps(4)
                .optReferenceOuterStepsPerRound(2).optReferenceInnerEpochs(1).build();
        UnlearningResult r = EraseDiffUnlearner.builder(cfg).build().unlearn(model(), forgetClass0());
        assertEquals(4, r.history().size());
        for (StepMetrics m : r.history()) {
            assertTrue(Double.isFinite(m.innerForgetLoss()), "c is reported: " + m);
            assertEquals(m.forgetLoss() - m.innerForgetLoss(), m.q(), 1e-12);
        }
        assertEquals(r.history().get(0).innerForgetLoss(), r.history().get(1).innerForgetLoss(), "c is per round");
    }

    @Test
    void resumedRunEndsWithTheSameWeights() throws IOException {
        assertResumeIsExact(small().optOuterSteps(6).optEmaDecay(0.9).build(), "ck");
    }

    /** Reference rounds draw extra batches and step the shared optimiser: resume must account for both. */
    @Test
    void resumedReferenceCompatibleRunEndsWithTheSameWeights() throws IOException {
        assertResumeIsExact(small().optMode(EraseDiffConfig.Mode.REFERENCE_COMPATIBLE).optOuterSteps(6)
                .optReferenceOuterStepsPerRound(3).optReferenceInnerEpochs(1).optEmaDecay(0.9).build(), "ck-ref");
    }

    @Test
    void resumedRunWithTheOriginalAsRemainTargetEndsWithTheSameWeights() throws IOException {
        assertResumeIsExact(small().optOuterSteps(6).optEmaDecay(0.9).optRemainTarget(RemainTarget.ORIGINAL)
                .optForgetTarget(ForgetTarget.remainPosterior(2)).build(), "ck-original");
    }

    /**
     * The original without the forget share, on an unconditional graph: the first step's remain loss
     * is what the correction moved the targets (not zero), the run resumes exactly, and a conditional
     * graph is refused before any work.
     */
    @Test
    void theOriginalWithoutTheForgetShareRunsOnUnconditionalModelsAndResumesExactly() throws IOException {
        DiffusionGraph unconditional = new DiffusionGraph(TinyGraphs.unconditional(1), TinyGraphs.unconditionalSpec());
        EraseDiffConfig cfg = small().optOuterSteps(6).optEmaDecay(0.9)
                .optRemainTarget(RemainTarget.ORIGINAL_WITHOUT_FORGET).optForgetTarget(ForgetTarget.remainPosterior(2))
                .build();
        UnlearningResult full = EraseDiffUnlearner.builder(cfg).build().unlearn(unconditional, forgetClass0());
        double first = full.history().get(0).remainLoss();
        assertTrue(first > 0 && Double.isFinite(first), "the correction moves the targets off the prediction: " + first);
        assertResumeIsExact(cfg, "ck-owf", () -> new DiffusionGraph(TinyGraphs.unconditional(1),
                TinyGraphs.unconditionalSpec()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EraseDiffUnlearner.builder(cfg).build().unlearn(model(), forgetClass0()));
        assertTrue(e.getMessage().contains("unconditional"), e.getMessage());
    }

    private void assertResumeIsExact(EraseDiffConfig cfg, String folder) throws IOException {
        assertResumeIsExact(cfg, folder, EraseDiffUnlearnerTest::model);
    }

    private void assertResumeIsExact(EraseDiffConfig cfg, String folder, Supplier<DiffusionGraph> model)
            throws IOException {
        SameDiff full = EraseDiffUnlearner.builder(cfg).build().unlearn(model.get(), forgetClass0()).model().sameDiff();
        CheckpointStore store = new CheckpointStore(dir.resolve(folder), 3);
        EraseDiffUnlearner.builder(cfg).optCheckpoints(store, 2).build().unlearn(model.get(), forgetClass0());
        List<CheckpointStore.Checkpoint> cks = store.list();
        try (var w = Files.walk(cks.get(cks.size() - 1).dir())) {
            w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        UnlearningResult resumed = EraseDiffUnlearner.builder(cfg).optCheckpoints(store, 2).build()
                .unlearn(model.get(), forgetClass0());
        assertEquals(6, resumed.history().size(), "history is restored from the checkpoint");
        for (String n : DiffusionGraph.parameterNames(full)) {
            assertTrue(full.getArrForVarName(n).equalsWithEps(resumed.model().sameDiff().getArrForVarName(n), 1e-6),
                    n + " differs after resume");
        }
    }

    @Test
    void divergenceRollsBackLowersTheStepAndRecoversWithAFiniteAverage() throws IOException {
        // SGD with an absurd learning rate overflows the parameters; the back-off brings it to a sane size
        // EMA on: parameters that overflow must never reach the average, which is the returned model
        EraseDiffConfig cfg = small().optOuterSteps(2).optUpdater(UpdaterSettings.sgd(1e38)).optClipNorm(0)
                .optEmaDecay(0.9).optEmaWarmup(false).optNanPolicy(new NanPolicy(3, 1e-37)).build();
        List<String> rollbacks = new java.util.ArrayList<>();
        RunListener recorder = new RunListener() {
            @Override
            public void onRollback(int step, String reason, double newStepScale, RunContext context) {
                rollbacks.add(step + ":" + reason);
            }
        };
        UnlearningResult r = EraseDiffUnlearner.builder(cfg).addListeners(recorder).build()
                .unlearn(model(), forgetClass0());
        assertFalse(rollbacks.isEmpty(), "the first step must have been rolled back");
        assertTrue(r.history().get(r.history().size() - 1).stepScale() < 1);
        for (String n : DiffusionGraph.parameterNames(r.model().sameDiff())) {
            assertTrue(Double.isFinite(r.model().sameDiff().getArrForVarName(n).norm2Number().doubleValue()), n);
        }
    }

    @Test
    void repeatedDivergenceAbortsWithAReport() {
        EraseDiffConfig cfg = small().optOuterSteps(2).optUpdater(UpdaterSettings.sgd(1e38)).optClipNorm(0)
                .optNanPolicy(new NanPolicy(2, 0.5)).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> EraseDiffUnlearner.builder(cfg).build().unlearn(model(), forgetClass0()));
        assertTrue(e.getMessage().contains("step 0") && e.getMessage().contains("3 attempts"), e.getMessage());
    }

    @Test
    void standardSameDiffListenersSeeRealIterationsAndLosses() throws IOException {
        List<Integer> iterations = new java.util.ArrayList<>();
        List<Double> losses = new java.util.ArrayList<>();
        boolean[] ended = {false};
        org.nd4j.autodiff.listeners.BaseListener recorder = new org.nd4j.autodiff.listeners.BaseListener() {
            @Override
            public boolean isActive(org.nd4j.autodiff.listeners.Operation operation) {
                return true;
            }

            @Override
            public void iterationDone(SameDiff sd, org.nd4j.autodiff.listeners.At at,
                                      org.nd4j.linalg.dataset.api.MultiDataSet data,
                                      org.nd4j.autodiff.listeners.Loss loss) {
                iterations.add(at.iteration());
                losses.add(loss.getLosses()[0]);
            }

            @Override
            public void operationEnd(SameDiff sd, org.nd4j.autodiff.listeners.Operation op) {
                ended[0] = true;
            }
        };
        UnlearningResult r = EraseDiffUnlearner.builder(small().optOuterSteps(3).build())
                .addSameDiffListeners(recorder).build().unlearn(model(), forgetClass0());
        assertEquals(List.of(0, 1, 2), iterations);
        for (int i = 0; i < 3; i++) {
            StepMetrics m = r.history().get(i);
            assertEquals(m.loss(), losses.get(i), 1e-12);
            assertEquals(m.remainLoss() + m.lambda() * m.forgetLoss(), m.loss(), 1e-9);
            assertTrue(losses.get(i) > 0);
        }
        assertTrue(ended[0]);
    }

    @Test
    void earlyStopInTheConfigIsHonoured() throws IOException {
        EraseDiffConfig cfg = small().optOuterSteps(30)
                .optEarlyStop(new EarlyStopSettings(EarlyStopSettings.Metric.FORGET_LOSS, 3, 1e9, 0.0)).build();
        UnlearningResult r = EraseDiffUnlearner.builder(cfg).build().unlearn(model(), forgetClass0());
        assertEquals(4, r.history().size(), "only the first step improves by 1e9 (on +∞): stop 3 steps later");
        assertTrue(r.stoppedEarly());
    }

    /** With warm-up the first EMA update replaces the starting weights; without it 0.99 of them stay. */
    @Test
    void emaWarmupReturnsNoneOfThePreUnlearningWeights() throws IOException {
        EraseDiffConfig raw = small().optOuterSteps(1).optEmaDecay(0).build();
        SameDiff live = EraseDiffUnlearner.builder(raw).build().unlearn(model(), forgetClass0()).model().sameDiff();
        SameDiff warm = EraseDiffUnlearner.builder(raw.toBuilder().optEmaDecay(0.99).optEmaWarmup(true).build())
                .build().unlearn(model(), forgetClass0()).model().sameDiff();
        SameDiff cold = EraseDiffUnlearner.builder(raw.toBuilder().optEmaDecay(0.99).optEmaWarmup(false).build())
                .build().unlearn(model(), forgetClass0()).model().sameDiff();
        INDArray original = model().sameDiff().getArrForVarName("conv2_W");
        assertEquals(live.getArrForVarName("conv2_W"), warm.getArrForVarName("conv2_W"));
        INDArray expectedCold = original.mul(0.99).addi(live.getArrForVarName("conv2_W").mul(0.01));
        assertTrue(expectedCold.equalsWithEps(cold.getArrForVarName("conv2_W"), 1e-6));
    }

    @Test
    void badInputFailsBeforeAnyWork() {
        DiffusionGraph unconditional = new DiffusionGraph(TinyGraphs.unconditional(1), TinyGraphs.unconditionalSpec());
        EraseDiffConfig pseudo = small().optForgetTarget(ForgetTarget.fixedClass(1)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EraseDiffUnlearner.builder(pseudo).build().unlearn(unconditional, forgetClass0()));
        assertTrue(e.getMessage().contains("conditional"), e.getMessage());
        EraseDiffConfig none = small().optParameters(ParameterSelection.of(List.of("nothing_like_this"), List.of()))
                .build();
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> EraseDiffUnlearner.builder(none).build().unlearn(model(), forgetClass0()))
                .getMessage().contains("matches no parameter"));
        assertThrows(IllegalArgumentException.class, () -> EraseDiffConfig.builder().optInnerSteps(-1).build());
        EraseDiffConfig forgottenAnchor = small().optForgetTarget(ForgetTarget.fixedClass(0)).build();
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> EraseDiffUnlearner.builder(forgottenAnchor).build().unlearn(model(), forgetClass0()))
                .getMessage().contains("is itself being forgotten"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> small()
                .optMode(EraseDiffConfig.Mode.REFERENCE_COMPATIBLE).optMonitorQ(true).build())
                .getMessage().startsWith("monitorQ applies to FAITHFUL mode only"));
        assertThrows(IllegalArgumentException.class, () -> new LambdaRule.Fixed(-0.1));
    }
}
