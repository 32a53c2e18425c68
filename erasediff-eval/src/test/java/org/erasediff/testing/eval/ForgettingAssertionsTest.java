package org.erasediff.testing.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.optim.UpdaterSettings;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.core.unlearn.ForgetTarget;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.unlearn.EraseDiffUnlearner;
import org.erasediff.eval.classifier.SameDiffClassifier;
import org.erasediff.testing.TinyGraphs;
import org.junit.jupiter.api.Test;

class ForgettingAssertionsTest {

    private static final NoiseSchedule SCHEDULE = NoiseSchedule.linear();

    @Test
    void theJudgeRecognisesEveryStripe() {
        LabelledImages stripes = TinyGraphs.stripes(9);
        SameDiffClassifier judge = StripesJudge.create(6);
        assertEquals(1.0, judge.accuracy(stripes), 1e-12);
    }

    @Test
    void theStripesModelGeneratesEveryClassUntilOneIsUnlearned() throws IOException {
        DiffusionGraph model = TinyGraphs.stripesModel(SCHEDULE, 6);
        ForgettingAssertions check = new ForgettingAssertions(StripesJudge.create(6), SCHEDULE);
        for (int c = 0; c < TinyGraphs.STRIPES_CLASSES; c++) {
            assertTrue(check.assertRecognised(model, c, 0.9).meanTargetProbability() > 0.9);
        }
        AssertionError notYet = assertThrows(AssertionError.class, () -> check.assertForgotten(model, 0, 0.1));
        assertTrue(notYet.getMessage().contains("class 0 is not forgotten"), notYet.getMessage());

        EraseDiffConfig cfg = EraseDiffConfig.builder().optOuterSteps(40).optForgetTarget(ForgetTarget.fixedClass(2))
                .optRemainBatchSize(8).optForgetBatchSize(8).optUpdater(UpdaterSettings.adam(0.05)).optEmaDecay(0)
                .optSeed(1).build();
        DiffusionGraph unlearned = EraseDiffUnlearner.builder(cfg).build()
                .unlearn(model, ForgetRemainSplit.byClasses(TinyGraphs.stripes(30), List.of(0))).model();
        check.assertForgotten(unlearned, 0, 0.1);
        check.assertRecognised(unlearned, 1, 0.9);
        check.assertRecognised(unlearned, 2, 0.9);
        AssertionError gone = assertThrows(AssertionError.class, () -> check.assertRecognised(unlearned, 0, 0.5));
        assertTrue(gone.getMessage().contains("class 0 is not generated"), gone.getMessage());
    }
}
