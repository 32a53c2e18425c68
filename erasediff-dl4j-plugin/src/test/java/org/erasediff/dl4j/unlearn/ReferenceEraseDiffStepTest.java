package org.erasediff.dl4j.unlearn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.erasediff.core.data.BatchIterator;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.optim.GradientVectors;
import org.erasediff.core.optim.UpdaterSettings;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.schedule.ScheduleType;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.core.unlearn.ForgetTarget;
import org.erasediff.core.unlearn.LambdaRule;
import org.erasediff.core.util.RngPurpose;
import org.erasediff.core.util.RngStreams;
import org.erasediff.dl4j.engine.GradientEngine;
import org.erasediff.dl4j.engine.ParameterUpdater;
import org.erasediff.dl4j.engine.WeightedDenoisingLoss;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.listen.StepMetrics;
import org.erasediff.testing.TinyGraphs;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The reference-compatible round structure against a trace written out by hand, and the batches it uses. */
class ReferenceEraseDiffStepTest {

    private static final LabelledImages DATA = TinyGraphs.stripes(48);
    private static final ScheduleConfig SCHEDULE = ScheduleConfig.builder(ScheduleType.LINEAR).build();

    private static DiffusionGraph model() {
        return new DiffusionGraph(TinyGraphs.conditional(3, 5), TinyGraphs.conditionalSpec(3));
    }

    @Test
    void twoRoundsMatchAHandWrittenTrace() throws IOException {
        ForgetRemainSplit split = ForgetRemainSplit.byClasses(DATA, List.of(0));
        // 16 forget images in batches of 5: an inner epoch is 3 full batches and one of 1
        EraseDiffConfig cfg = EraseDiffConfig.builder().optMode(EraseDiffConfig.Mode.REFERENCE_COMPATIBLE)
                .optOuterSteps(4).optReferenceOuterStepsPerRound(2).optReferenceInnerEpochs(2)
                .optRemainBatchSize(6).optForgetBatchSize(5).optUpdater(UpdaterSettings.adam(1e-2))
                .optLambdaRule(new LambdaRule.Fixed(0.5)).optClipNorm(0).optEmaDecay(0).optSeed(9).build();
        UnlearningResult r = EraseDiffUnlearner.builder(cfg).build().unlearn(model(), split);

        DiffusionGraph m = model();
        DiffusionGraph working = new DiffusionGraph(m.sameDiff().dup(), m.spec(), m.imageShape());
        WeightedDenoisingLoss.addTo(working);
        try (GradientEngine engine = new GradientEngine(working, DiffusionGraph.parameterNames(m.sameDiff()))) {
            List<INDArray> theta = engine.parameters();
            ParameterUpdater shared = new ParameterUpdater(cfg.updater(), null, theta);
            RngStreams rng = new RngStreams(9);
            UnlearningBatches b = new UnlearningBatches(split,
                    new BatchIterator(split.remain(), 6, rng.seed(RngPurpose.REMAIN_BATCHES, 0)),
                    new BatchIterator(split.forget(), 5, rng.seed(RngPurpose.FORGET_BATCHES, 0)),
                    m.imageShape(), working, NoiseSchedule.create(SCHEDULE), ForgetTarget.uniform(), rng, true);
            assertEquals(4, b.batchesPerEpoch());
            double[] c = new double[4];
            for (int step = 0; step < 4; step++) {
                b.drawRemain(step);
                b.drawForget(step, working);
                if (step % 2 == 0) {
                    List<INDArray> saved = GradientVectors.allocateLike(theta);
                    for (int e = 0; e < 2; e++) {
                        double sum = 0;
                        for (int i = 0; i < 4; i++) {
                            UnlearningBatches.Rows f = b.drawInnerEpochBatch(step, e, i, working);
                            sum += f.size() * engine.computeGradients(f.xt, f.timesteps, f.labels, f.target, f.weights);
                            shared.apply(engine.gradients(), theta); // no clipping inside the inner epochs
                        }
                        c[step] = sum / 16;
                    }
                    GradientVectors.copyInto(saved, theta); // θ restored, the shared Adam's moments and count are not
                } else {
                    c[step] = c[step - 1];
                }
                b.stack(0.5);
                engine.computeGradients(b.xt, b.timesteps, b.labels, b.target0, b.weights);
                shared.apply(engine.gradients(), theta);
            }
            assertEquals(2 * 2 * 4 + 4, shared.iteration(), "inner and outer updates share one optimiser");
            for (int step = 0; step < 4; step++) {
                StepMetrics s = r.history().get(step);
                assertEquals(c[step], s.innerForgetLoss(), 1e-6, "c at step " + step);
            }
            SameDiff out = r.model().sameDiff();
            List<String> names = engine.parameterNames();
            for (int i = 0; i < names.size(); i++) {
                assertTrue(theta.get(i).equalsWithEps(out.getArrForVarName(names.get(i)), 1e-6), names.get(i));
            }
        }
    }

    @Test
    void theSameNoiseBuildsXtAndIsTheTargetAndTimestepsAreAntithetic() {
        ForgetRemainSplit split = ForgetRemainSplit.byClasses(DATA, List.of(0));
        DiffusionGraph m = model();
        RngStreams rng = new RngStreams(4);
        NoiseSchedule schedule = NoiseSchedule.create(SCHEDULE);
        UnlearningBatches b = new UnlearningBatches(split, new BatchIterator(split.remain(), 6, 1),
                new BatchIterator(split.forget(), 8, 2), m.imageShape(), m, schedule, ForgetTarget.uniform(), rng, true);
        UnlearningBatches.Rows f = b.drawInnerEpochBatch(0, 0, 0, m);
        INDArray expected = f.xt.ulike();
        schedule.addNoise(f.images, f.target, f.timesteps, expected);
        assertEquals(expected, f.xt, "x_t = √ᾱ·x_0 + √(1−ᾱ)·ε̂ with the target ε̂ itself");
        assertTrue(f.target.minNumber().doubleValue() >= 0 && f.target.maxNumber().doubleValue() < 1, "uniform ε̂");
        for (int i = 0; i < 4; i++) {
            assertEquals(999 - f.timesteps[i], f.timesteps[4 + i], "antithetic pair " + i);
        }
    }

    @Test
    void thePseudoLabelTargetIsTheModelsDetachedPredictionUnderOneOtherClassPerBatch() {
        ForgetRemainSplit split = ForgetRemainSplit.byClasses(DATA, List.of(0));
        DiffusionGraph m = model();
        UnlearningBatches b = new UnlearningBatches(split, new BatchIterator(split.remain(), 6, 1),
                new BatchIterator(split.forget(), 8, 2), m.imageShape(), m, NoiseSchedule.create(SCHEDULE),
                ForgetTarget.randomOtherClass(), new RngStreams(4), false);
        for (int step = 0; step < 5; step++) {
            b.drawForget(step, m);
            UnlearningBatches.Rows f = b.forgetRows;
            int[] same = new int[8];
            java.util.Arrays.fill(same, f.pseudo[0]);
            assertArrayEquals(same, f.pseudo, "one pseudo-label per batch");
            assertNotEquals(0, f.pseudo[0], "never the forgotten class");
            INDArray prediction = m.predictNoise(f.xt, f.timesteps, f.pseudo);
            assertEquals(prediction, f.target);
            assertTrue(f.target != prediction && !f.target.isView(), "a plain array the loss reads as a constant");
        }
    }

    /**
     * The remain-posterior target: x_t from Gaussian noise at timesteps of at least t_min, the target the
     * remain batch's own denoiser at x_t (recomputed here from the batch's clean images), and it refuses to
     * run before a remain batch exists.
     */
    @Test
    void theRemainPosteriorTargetIsTheRemainBatchsDenoiserFromTMinOn() {
        ForgetRemainSplit split = ForgetRemainSplit.byClasses(DATA, List.of(0));
        DiffusionGraph m = model();
        NoiseSchedule schedule = NoiseSchedule.create(SCHEDULE);
        ForgetTarget.RemainPosterior target = ForgetTarget.remainPosterior(300);
        BatchIterator remain = new BatchIterator(split.remain(), 6, 1);
        UnlearningBatches b = new UnlearningBatches(split, remain, new BatchIterator(split.forget(), 8, 2),
                m.imageShape(), m, schedule, target, new RngStreams(4), true);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> b.drawForget(0, m));
        assertTrue(e.getMessage().contains("remain batch"), e.getMessage());

        BatchIterator copy = new BatchIterator(split.remain(), 6, 1);
        for (int step = 0; step < 3; step++) {
            b.drawRemain(step);
            INDArray remainImages = copy.next().images().dup();
            b.drawForget(step, m);
            UnlearningBatches.Rows f = b.forgetRows;
            for (int t : f.timesteps) {
                assertTrue(t >= 300 && t < 1000, "timestep " + t);
            }
            assertEquals(remainImages, b.remainRows.images, "the step's remain images are kept");
            INDArray expected = target.fillTarget(f.xt, f.timesteps, remainImages, schedule, f.xt.ulike());
            assertEquals(expected, f.target);
            assertTrue(f.target.minNumber().doubleValue() < 0, "not the uniform target");
        }
    }
    /**
     * With a pool, the target is the denoiser of that many remain images drawn afresh every step:
     * a pool as large as the remain set gives the whole set's denoiser (the posterior does not depend
     * on the order of its images); a smaller pool differs from the step's batch, changes from step to
     * step, and is the same for the same seed (a resumed run sees the same targets).
     */
    @Test
    void aRemainPosteriorPoolIsDrawnEveryStepFromTheSeed() {
        ForgetRemainSplit split = ForgetRemainSplit.byClasses(DATA, List.of(0));
        DiffusionGraph m = model();
        NoiseSchedule schedule = NoiseSchedule.create(SCHEDULE);
        int all = split.remain().size();
        ForgetTarget.RemainPosterior whole = ForgetTarget.remainPosterior(300, all + 5);
        UnlearningBatches b = batches(split, m, schedule, whole);
        INDArray remainSet = Nd4j.create(DataType.FLOAT, all, 1, DATA.height(), DATA.width());
        split.remain().copyScaled(java.util.stream.IntStream.range(0, all).toArray(), remainSet, null);
        b.drawRemain(0);
        b.drawForget(0, m);
        UnlearningBatches.Rows f = b.forgetRows;
        INDArray expected = whole.fillTarget(f.xt, f.timesteps, remainSet, schedule, f.xt.ulike());
        assertTrue(expected.equalsWithEps(f.target, 1e-5), "the whole remain set's denoiser");

        ForgetTarget.RemainPosterior small = ForgetTarget.remainPosterior(300, 3);
        UnlearningBatches p = batches(split, m, schedule, small);
        UnlearningBatches again = batches(split, m, schedule, small);
        INDArray previous = null;
        for (int step = 0; step < 3; step++) {
            p.drawRemain(step);
            p.drawForget(step, m);
            again.drawRemain(step);
            again.drawForget(step, m);
            INDArray target = p.forgetRows.target.dup();
            assertEquals(target, again.forgetRows.target, "the same seed draws the same pool");
            INDArray fromBatch = small.fillTarget(p.forgetRows.xt, p.forgetRows.timesteps, p.remainRows.images,
                    schedule, target.ulike());
            assertTrue(!fromBatch.equalsWithEps(target, 1e-4), "the pool, not the step's batch");
            if (previous != null) {
                assertTrue(!previous.equalsWithEps(target, 1e-4), "a new pool every step");
            }
            previous = target;
        }
    }

    /**
     * A same-class pool: a request naming single images of classes 0 and 2 draws, every step, the
     * remaining images of those two classes only (with a pool larger than a class, all of them), so
     * each forget row's target is the denoiser of its own class's remaining images; a request that
     * forgets a whole class is refused before any step, naming the class.
     */
    @Test
    void aSameClassPoolHoldsEachForgottenClasssRemainingImages() {
        ForgetRemainSplit split = ForgetRemainSplit.bySampleIds(DATA, List.of(0, 2, 3, 5));
        DiffusionGraph m = model();
        NoiseSchedule schedule = NoiseSchedule.create(SCHEDULE);
        ForgetTarget.RemainPosterior target = ForgetTarget.remainPosteriorSameClass(300, 1000);
        UnlearningBatches b = new UnlearningBatches(split, new BatchIterator(split.remain(), 6, 1),
                new BatchIterator(split.forget(), 4, 2), m.imageShape(), m, schedule, target, new RngStreams(4), true);
        b.drawRemain(0);
        b.drawForget(0, m);
        UnlearningBatches.Rows f = b.forgetRows;
        int[] labels = f.labels.clone();
        java.util.List<Integer> positions = new java.util.ArrayList<>();
        java.util.List<Integer> poolLabels = new java.util.ArrayList<>();
        for (int i = 0; i < split.remain().size(); i++) {
            int c = split.remain().label(i);
            if (c == 0 || c == 2) {
                positions.add(i);
                poolLabels.add(c);
            }
        }
        INDArray pool = Nd4j.create(DataType.FLOAT, positions.size(), 1, DATA.height(), DATA.width());
        split.remain().copyScaled(positions.stream().mapToInt(Integer::intValue).toArray(), pool, null);
        INDArray expected = target.fillTarget(f.xt, f.timesteps, labels, pool,
                poolLabels.stream().mapToInt(Integer::intValue).toArray(), schedule, f.xt.ulike());
        assertTrue(expected.equalsWithEps(f.target, 1e-5), "each row's own class's remaining images");
        INDArray anyClass = ForgetTarget.remainPosterior(300, 1000).fillTarget(f.xt, f.timesteps,
                b.remainRows.images, schedule, f.xt.ulike());
        assertTrue(!anyClass.equalsWithEps(f.target, 1e-4), "not the posterior over every class");

        ForgetRemainSplit wholeClass = ForgetRemainSplit.byClasses(DATA, List.of(0));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> batches(wholeClass, m, schedule, target));
        assertTrue(e.getMessage().contains("class 0 has none left"), e.getMessage());
    }

    private static UnlearningBatches batches(ForgetRemainSplit split, DiffusionGraph m, NoiseSchedule schedule,
                                             ForgetTarget target) {
        return new UnlearningBatches(split, new BatchIterator(split.remain(), 6, 1),
                new BatchIterator(split.forget(), 8, 2), m.imageShape(), m, schedule, target, new RngStreams(4), true);
    }
}
