package org.erasediff.dl4j.unlearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.erasediff.core.data.BatchIterator;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.optim.GradientClipping;
import org.erasediff.core.optim.GradientVectors;
import org.erasediff.core.optim.UpdaterSettings;
import org.erasediff.core.sampling.NoisePredictor;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.schedule.ScheduleType;
import org.erasediff.core.unlearn.BaselineConfig;
import org.erasediff.core.unlearn.BaselineMethod;
import org.erasediff.core.unlearn.ForgetTarget;
import org.erasediff.core.util.RngPurpose;
import org.erasediff.core.util.RngStreams;
import org.erasediff.dl4j.checkpoint.CheckpointStore;
import org.erasediff.dl4j.engine.GradientEngine;
import org.erasediff.dl4j.engine.WeightedDenoisingLoss;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.listen.StepMetrics;
import org.erasediff.dl4j.loop.TrainingLoop;
import org.erasediff.testing.TinyGraphs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Each baseline's first update against the same update written out by hand: with plain SGD at
 * learning rate 1 and no clipping or EMA, θ₁ = θ₀ − direction, so the directions are compared
 * directly.
 */
class BaselineUnlearnerTest {

    @TempDir
    Path dir;

    private static final LabelledImages DATA = TinyGraphs.stripes(48);
    private static final ScheduleConfig SCHEDULE = ScheduleConfig.builder(ScheduleType.LINEAR).build();
    private static final ForgetRemainSplit SPLIT = ForgetRemainSplit.byClasses(DATA, List.of(0));

    private static DiffusionGraph model() {
        return new DiffusionGraph(TinyGraphs.conditional(3, 5), TinyGraphs.conditionalSpec(3));
    }

    private static BaselineConfig oneSgdStep(BaselineMethod m) {
        return BaselineConfig.builder(m).optSteps(1).optUpdater(UpdaterSettings.sgd(1.0)).optClipNorm(0)
                .optEmaDecay(0).optRemainBatchSize(8).optForgetBatchSize(6).optSeed(3).build();
    }

    /** The batches the method draws, rebuilt from the same seeds. */
    private static UnlearningBatches batches(DiffusionGraph m, ForgetTarget target) {
        RngStreams rng = new RngStreams(3);
        return new UnlearningBatches(SPLIT, new BatchIterator(SPLIT.remain(), 8, rng.seed(RngPurpose.REMAIN_BATCHES, 0)),
                new BatchIterator(SPLIT.forget(), 6, rng.seed(RngPurpose.FORGET_BATCHES, 0)), m.imageShape(), m,
                NoiseSchedule.create(SCHEDULE), target, rng, true);
    }

    private static GradientEngine engine(DiffusionGraph m) {
        DiffusionGraph working = new DiffusionGraph(m.sameDiff().dup(), m.spec(), m.imageShape());
        WeightedDenoisingLoss.addTo(working);
        return new GradientEngine(working, DiffusionGraph.parameterNames(m.sameDiff()));
    }

    /** θ₁ − θ₀ of the method's run, paired with the engine's parameter order. */
    private static List<INDArray> update(BaselineMethod method, DiffusionGraph m, List<String> names) throws IOException {
        SameDiff out = BaselineUnlearner.builder(oneSgdStep(method)).build().unlearn(m, SPLIT).model().sameDiff();
        List<INDArray> d = new ArrayList<>();
        for (String n : names) {
            d.add(out.getArrForVarName(n).sub(m.sameDiff().getArrForVarName(n)));
        }
        return d;
    }

    private static void assertDirection(List<INDArray> expectedDirection, List<INDArray> update, String what) {
        double norm = 0;
        for (int i = 0; i < update.size(); i++) {
            INDArray expected = expectedDirection.get(i).neg();
            assertTrue(expected.equalsWithEps(update.get(i), 1e-5), what + ": parameter " + i);
            norm += expected.norm2Number().doubleValue();
        }
        assertTrue(norm > 1e-4, what + " moved the parameters");
    }

    @Test
    void finetuneDescendsOnTheRemainLoss() throws IOException {
        DiffusionGraph m = model();
        try (GradientEngine e = engine(m)) {
            UnlearningBatches b = batches(m, ForgetTarget.shiftedGaussian(0.0));
            b.drawRemain(0);
            UnlearningBatches.Rows r = b.remainRows;
            e.computeGradients(r.xt, r.timesteps, r.labels, r.target, r.weights);
            assertDirection(e.gradients(), update(new BaselineMethod.Finetune(), m, e.parameterNames()), "finetune");
        }
    }

    @Test
    void negGradAscendsOnTheForgetSetNotTheRemainSet() throws IOException {
        DiffusionGraph m = model();
        try (GradientEngine e = engine(m)) {
            UnlearningBatches b = batches(m, ForgetTarget.shiftedGaussian(0.0));
            b.drawForget(0, m);
            UnlearningBatches.Rows f = b.forgetRows;
            assertTrue(java.util.Arrays.stream(f.labels).allMatch(c -> c == 0), "forget rows are digit-0 images");
            e.computeGradients(f.xt, f.timesteps, f.labels, f.target, f.weights);
            GradientVectors.scaleInPlace(e.gradients(), -1.0);
            assertDirection(e.gradients(), update(new BaselineMethod.NegGrad(), m, e.parameterNames()), "neggrad");
        }
    }

    @Test
    void esdRegressesOntoNegativeGuidanceOfTheFrozenModel() throws IOException {
        DiffusionGraph m = model();
        try (GradientEngine e = engine(m)) {
            UnlearningBatches b = batches(m, ForgetTarget.shiftedGaussian(0.0));
            b.drawForget(0, m);
            UnlearningBatches.Rows f = b.forgetRows;
            int[] none = new int[6];
            java.util.Arrays.fill(none, NoisePredictor.NULL_LABEL);
            INDArray eNull = m.predictNoise(f.xt, f.timesteps, none);
            INDArray eCond = m.predictNoise(f.xt, f.timesteps, f.labels);
            double eta = 0.7;
            INDArray target = eNull.sub(eCond.sub(eNull).mul(eta)); // ε*(∅) − η(ε*(c) − ε*(∅))
            e.computeGradients(f.xt, f.timesteps, f.labels, target, f.weights);
            assertDirection(e.gradients(), update(new BaselineMethod.Esd(eta), m, e.parameterNames()), "esd");
        }
    }

    @Test
    void salUnChangesOnlyTheMostSalientHalfOfTheWeights() throws IOException {
        DiffusionGraph m = model();
        try (GradientEngine e = engine(m)) {
            // the mask by hand: |Σ_b clip(∇L_f)| over one pass of the forget set, top 50 %
            RngStreams rng = new RngStreams(3);
            UnlearningBatches plain = new UnlearningBatches(SPLIT,
                    new BatchIterator(SPLIT.remain(), 1, rng.seed(RngPurpose.REMAIN_BATCHES, 1)),
                    new BatchIterator(SPLIT.forget(), 6, rng.seed(RngPurpose.FORGET_BATCHES, 1)), m.imageShape(), m,
                    NoiseSchedule.create(SCHEDULE), ForgetTarget.shiftedGaussian(0.0), rng, true);
            List<INDArray> sum = GradientVectors.allocateLike(e.parameters());
            GradientVectors.scaleInPlace(sum, 0.0);
            for (int i = 0; i < plain.batchesPerEpoch(); i++) {
                UnlearningBatches.Rows f = plain.drawInnerEpochBatch(0, 0, i, m);
                e.computeGradients(f.xt, f.timesteps, f.labels, f.target, f.weights);
                GradientClipping.clipByGlobalNorm(e.gradients(), 1.0);
                GradientVectors.addScaledInPlace(sum, 1.0, e.gradients());
            }
            INDArray all = Nd4j.concat(0, sum.stream().map(s -> Transforms.abs(s).reshape(-1)).toArray(INDArray[]::new));
            float[] sorted = all.dup().data().asFloat();
            java.util.Arrays.sort(sorted);
            double median = sorted[(int) (sorted.length - Math.round(0.5 * sorted.length))];
            List<INDArray> update = update(new BaselineMethod.SalUn(1e-3, 0.5), m, e.parameterNames());
            long changed = 0;
            long salient = 0;
            for (int i = 0; i < update.size(); i++) {
                INDArray top = Transforms.abs(sum.get(i)).gte(median);
                INDArray moved = Transforms.abs(update.get(i)).gt(0);
                salient += top.castTo(DataType.INT).sumNumber().longValue();
                changed += moved.castTo(DataType.INT).sumNumber().longValue();
                // nothing outside the salient set moves
                assertEquals(0, moved.castTo(DataType.INT).sub(top.castTo(DataType.INT)).gt(0).castTo(DataType.INT)
                        .sumNumber().longValue(), "parameter " + i);
            }
            assertEquals(Math.round(0.5 * all.length()), salient, 2);
            assertTrue(changed > 0.8 * salient, changed + " of " + salient + " salient weights moved");
        }
    }

    @Test
    void selectiveAmnesiasFisherIsTheSquaredSumOfPerTimestepGradientsAcrossChunks() {
        DiffusionGraph m = model();
        try (GradientEngine e = engine(m)) {
            LabelledImages images = DATA.subset(new int[] {0, 1}, "two");
            // 16 stratified timesteps in two gradient passes of 8 rows
            FisherDiagonal fisher = new FisherDiagonal(e, images, NoiseSchedule.create(SCHEDULE), new RngStreams(5), 16,
                    8);
            List<INDArray> estimate = fisher.estimate(1);
            // by hand: each row's gradient alone (one-hot weights), summed over both chunks, scaled, squared
            List<INDArray> total = GradientVectors.allocateLike(e.parameters());
            GradientVectors.scaleInPlace(total, 0.0);
            for (int c = 0; c < 2; c++) {
                fisher.fillChunk(0, c);
                for (int j = 0; j < 8; j++) {
                    int stratum = c * 8 + j;
                    assertTrue(fisher.timesteps[j] >= stratum * 62 && fisher.timesteps[j] < (stratum + 1) * 63,
                            "stratum " + stratum);
                    INDArray w = Nd4j.zeros(DataType.FLOAT, 8);
                    w.putScalar(j, fisher.sumScale());
                    e.computeGradients(fisher.xt, fisher.timesteps, fisher.labels, fisher.noise, w);
                    GradientVectors.addScaledInPlace(total, 1.0, e.gradients());
                }
            }
            for (int i = 0; i < total.size(); i++) {
                INDArray expected = total.get(i).mul(total.get(i));
                assertTrue(expected.equalsWithEps(estimate.get(i), 1e-3 * (1 + expected.maxNumber().doubleValue())),
                        "parameter " + i);
            }
        }
    }

    /**
     * The first step starts at θ* where the penalty's gradient is zero, so θ₁ does not depend on λ;
     * the second steps of a λ = 0 run and a λ = L run see the same batches at the same θ₁ and
     * differ by the penalty's gradient alone: with SGD at rate η, θ₂(L) − θ₂(0) =
     * −η·2·(L/P)·F·(θ₁ − θ*), P the pixels per image (the authors' pixel-sum objective over P).
     */
    @Test
    void selectiveAmnesiasPenaltyIsTheAuthorsObjectiveOverPixels() throws IOException {
        DiffusionGraph m = model();
        double lambda = 1e-5;
        double lr = 0.05;
        SameDiff one = runSa(m, 0, 1, lr, null);
        SameDiff free = runSa(m, 0, 2, lr, null);
        SelectiveAmnesiaStep[] step = new SelectiveAmnesiaStep[1];
        SameDiff held = runSa(m, lambda, 2, lr, step);
        long pixels = DATA.imageSize();
        assertEquals(lambda / pixels, step[0].penaltyWeight(), 1e-12);
        List<String> names = DiffusionGraph.parameterNames(m.sameDiff());
        double moved = 0;
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            INDArray displacement = one.getArrForVarName(n).sub(m.sameDiff().getArrForVarName(n));
            INDArray expected = displacement.mul(step[0].fisher().get(i)).muli(-lr * 2 * lambda / pixels);
            INDArray actual = held.getArrForVarName(n).sub(free.getArrForVarName(n));
            double eps = 1e-6 + 1e-3 * expected.amaxNumber().doubleValue();
            assertTrue(expected.equalsWithEps(actual, eps), n + ": expected " + expected + ", was " + actual);
            moved += expected.norm2Number().doubleValue();
        }
        assertTrue(moved > 1e-2, "the penalty moved the weights: " + moved);
    }

    /** {@code steps} plain SGD steps (no clipping, no EMA) of SA with λ = {@code lambda}. */
    private static SameDiff runSa(DiffusionGraph m, double lambda, int steps, double lr, SelectiveAmnesiaStep[] keep)
            throws IOException {
        BaselineConfig cfg = BaselineConfig.builder(new BaselineMethod.SelectiveAmnesia(1, lambda, 2, 3, 16, 2))
                .optSteps(steps).optUpdater(UpdaterSettings.sgd(lr)).optClipNorm(0).optEmaDecay(0)
                .optRemainBatchSize(8).optForgetBatchSize(6).optSeed(3).build();
        SelectiveAmnesiaStep step = new SelectiveAmnesiaStep(cfg, SCHEDULE, SPLIT, m);
        if (keep != null) {
            keep[0] = step;
        }
        return TrainingLoop.builder(m, step, BaselineStep.loopSettings(cfg)).build().run().model().sameDiff();
    }

    @Test
    void everyBaselineRunsOnTheLoopAndReportsItsSetupApart() throws IOException {
        for (BaselineMethod method : List.of(new BaselineMethod.Finetune(), new BaselineMethod.NegGrad(),
                new BaselineMethod.BlindSpot(2), new BaselineMethod.SelectiveAmnesia(1, 10, 2, 3, 16, 2),
                new BaselineMethod.SalUn(), new BaselineMethod.Esd())) {
            BaselineConfig cfg = BaselineConfig.builder(method).optSteps(2).optRemainBatchSize(8).optForgetBatchSize(8)
                    .optUpdater(UpdaterSettings.adam(1e-3)).build();
            UnlearningResult r = BaselineUnlearner.builder(cfg).build().unlearn(model(), SPLIT);
            assertEquals(2, r.history().size(), method.name());
            for (StepMetrics s : r.history()) {
                assertTrue(Double.isFinite(s.loss()), method.name() + ": " + s);
            }
            assertEquals(method.name(), r.provenance().method());
            boolean prepares = method instanceof BaselineMethod.BlindSpot || method instanceof BaselineMethod.SalUn
                    || method instanceof BaselineMethod.SelectiveAmnesia;
            assertTrue(!prepares || r.setupSeconds() > 0, method.name() + " setup " + r.setupSeconds());
        }
    }

    @Test
    void selectiveAmnesiaResumesExactly() throws IOException {
        BaselineConfig cfg = BaselineConfig.builder(new BaselineMethod.SelectiveAmnesia(1, 10, 2, 3, 16, 2)).optSteps(4)
                .optRemainBatchSize(8).optForgetBatchSize(8).optUpdater(UpdaterSettings.adam(1e-3)).build();
        SameDiff full = BaselineUnlearner.builder(cfg).build().unlearn(model(), SPLIT).model().sameDiff();
        CheckpointStore store = new CheckpointStore(dir.resolve("sa"), 3);
        BaselineUnlearner.builder(cfg).optCheckpoints(store, 2).build().unlearn(model(), SPLIT);
        CheckpointStore.Checkpoint last = store.latest().orElseThrow();
        try (var w = Files.walk(last.dir())) {
            w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        UnlearningResult resumed = BaselineUnlearner.builder(cfg).optCheckpoints(store, 2).build().unlearn(model(), SPLIT);
        assertEquals(2, resumed.provenance().resumedFromStep());
        for (String n : DiffusionGraph.parameterNames(full)) {
            assertEquals(full.getArrForVarName(n), resumed.model().sameDiff().getArrForVarName(n), n);
        }
    }

    @Test
    void configsRoundTripAndBadInputIsNamedBeforeAnyWork() {
        BaselineConfig c = BaselineConfig.builder(new BaselineMethod.SalUn(0.01, 0.3)).optSteps(7).optSeed(9).build();
        assertEquals(c, BaselineConfig.fromJson(c.toJson()));
        for (BaselineMethod m : List.of(new BaselineMethod.Finetune(), new BaselineMethod.NegGrad(),
                new BaselineMethod.BlindSpot(), new BaselineMethod.SelectiveAmnesia(), new BaselineMethod.Esd())) {
            BaselineConfig x = BaselineConfig.builder(m).build();
            assertEquals(x, BaselineConfig.fromJson(x.toJson()), m.name());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new BaselineMethod.SalUn(1e-3, 0))
                .getMessage().startsWith("sparsity must be in (0, 1]"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> BaselineConfig.builder(new BaselineMethod.NegGrad()).optSteps(0).build())
                .getMessage().startsWith("steps must be >= 1"));
        DiffusionGraph unconditional = new DiffusionGraph(TinyGraphs.unconditional(1), TinyGraphs.unconditionalSpec());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BaselineUnlearner.builder(
                BaselineConfig.builder(new BaselineMethod.SalUn()).build()).build().unlearn(unconditional, SPLIT))
                .getMessage().contains("needs a conditional model"));
    }
}
