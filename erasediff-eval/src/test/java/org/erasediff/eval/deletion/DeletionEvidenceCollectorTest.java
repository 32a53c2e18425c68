package org.erasediff.eval.deletion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.eval.generate.ModelEvaluator;
import org.erasediff.eval.generate.SampleGenerator;
import org.erasediff.eval.metrics.KidConfig;
import org.erasediff.eval.metrics.MemorisationThreshold;
import org.erasediff.testing.TinyGraphs;
import org.erasediff.testing.eval.StripesJudge;
import org.junit.jupiter.api.Test;

class DeletionEvidenceCollectorTest {

    private static final NoiseSchedule SCHEDULE = NoiseSchedule.linear();
    /** Generates the one image of each class exactly: every stripe is memorised. */
    private static final DiffusionGraph STRIPES = TinyGraphs.stripesModel(SCHEDULE, 6);

    /**
     * Evidence about two requested stripes (classes 0 and 1) against four held-out ones, 3 samples
     * per requested class, a fixed near-copy threshold of 0.5.
     */
    private static DeletionEvidenceCollector collector() {
        LabelledImages data = TinyGraphs.stripes(12);
        LabelledImages requested = data.subset(new int[] {0, 4}, "requested");
        LabelledImages heldOut = TinyGraphs.stripes(6).subset(new int[] {0, 1, 3, 4}, "held-out");
        SampleGenerator gen = new SampleGenerator(SCHEDULE, SamplerConfig.builder(10).optGuidanceScale(0).build(), 16,
                null);
        ModelEvaluator ev = new ModelEvaluator(StripesJudge.create(6), gen, data,
                KidConfig.builder().optSubsetSize(4).optNumSubsets(2).build());
        MembershipInference attack = new MembershipInference(SCHEDULE, MembershipInferenceConfig.builder()
                .optTimesteps(List.of(10, 100)).optNoisesPerTimestep(1).build());
        return new DeletionEvidenceCollector(ev, attack, MemorisationThreshold.fixed(0.5), requested, heldOut, 3, 4);
    }

    @Test
    void aModelThatGeneratesItsTrainingImagesExactlyHasMemorisedEveryOne() throws Exception {
        DiffusionGraph model = STRIPES;
        DeletionEvidenceCollector c = collector();
        DeletionEvidenceCollector.Collected got = c.collect("before", model, "stripes", 3);
        DeletionEvidence e = got.evidence();
        assertEquals(1.0, e.figure("memorised_fraction"));
        // 3 samples for each of the 2 requested classes, all copies of one of them
        assertEquals(6, got.generated().size(0));
        assertEquals(1.0, e.figure("memorisation_fraction"));
        // members and held-out images are the same stripes: the attack cannot tell them apart
        assertEquals(0.5, e.figure("mia_auc"));
        assertEquals(e.figure("mia_member_loss"), e.figure("mia_heldout_loss"), 1e-9);
        assertEquals(1.0, e.figure("accuracy"));
        assertTrue(e.figures().containsKey("fid") && e.figures().containsKey("mia_tpr_at_1pct_fpr"), e.toString());
        assertEquals(List.of(0, 4), e.images().stream().map(DeletionEvidence.ImageEvidence::id).toList());
        for (DeletionEvidence.ImageEvidence i : e.images()) {
            assertTrue(i.nearCopy() && i.nearestPixelL2() < 0.05, i.toString());
            assertTrue(i.nearestFeatureDistance() < 0.05, i.toString());
            assertEquals(0.5, i.pixelThreshold());
            assertEquals(got.generated().slice(got.nearest()[e.images().indexOf(i)]).getDouble(0), i.label() == 0 ? 1.0
                    : -1.0, 0.05, "the nearest sample is the requested image's class");
        }
        assertFalse(e.images().get(0).loss() < 0);
    }

    @Test
    void theMembershipProbeComparesTheProbedModelsMemberLossesWithTheBaseModelsHeldOutLosses() throws Exception {
        DiffusionGraph model = STRIPES;
        DeletionEvidenceCollector c = collector();
        java.util.function.ToDoubleFunction<org.erasediff.core.sampling.NoisePredictor> probe = c.membershipProbe(model,
                "stripes");
        // the base model itself: members are the same stripes as the held-out images
        assertEquals(0.5, probe.applyAsDouble(model));
        // a model that predicts no noise at all has a far higher loss on every member than the base model on
        // the held-out images: the requested images now stand out (AUC 0), as after over-forgetting
        org.erasediff.core.sampling.NoisePredictor blind = new org.erasediff.core.sampling.NoisePredictor() {
            @Override
            public org.nd4j.linalg.api.ndarray.INDArray predictNoise(org.nd4j.linalg.api.ndarray.INDArray xt,
                                                                     int[] timesteps, int[] labels) {
                return xt.mul(0);
            }

            @Override
            public boolean isConditional() {
                return true;
            }
        };
        assertEquals(0.0, probe.applyAsDouble(blind));
        assertEquals(0.5, probe.applyAsDouble(model), "the held-out losses stay the base model's");
        // the probe's held-out losses serve the base model's evidence unchanged; another model gets its own
        DeletionEvidence fresh = collector().collect("before", model, "stripes", 3).evidence();
        assertEquals(fresh.figures(), c.collect("before", model, "stripes", 3).evidence().figures());
        DeletionEvidence blindEvidence = c.collect("after", blind, "blind", 3).evidence();
        assertTrue(blindEvidence.figure("mia_heldout_loss") > 10 * fresh.figure("mia_heldout_loss") + 0.1,
                blindEvidence + " against " + fresh);
    }
}
