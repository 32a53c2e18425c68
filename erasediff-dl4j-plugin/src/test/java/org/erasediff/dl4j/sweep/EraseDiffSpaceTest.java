package org.erasediff.dl4j.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.core.unlearn.ForgetTarget;
import org.erasediff.core.unlearn.LambdaRule;
import org.junit.jupiter.api.Test;

class EraseDiffSpaceTest {

    private static final EraseDiffConfig BASE = EraseDiffConfig.builder().optOuterSteps(5).build();

    private static void fails(String expected, Supplier<?> build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
        assertTrue(e.getMessage().contains(expected), "'" + expected + "' in: " + e.getMessage());
    }

    @Test
    void badSpacesFailNamingTheParameter() {
        fails("lambda: the range [3.0, 1.0] is empty", () -> EraseDiffSpace.builder(BASE).optLambda(3, 1).build());
        fails("lambda must be >= 0", () -> EraseDiffSpace.builder(BASE).optLambda(-1, 1).build());
        fails("innerSteps must be >= 0", () -> EraseDiffSpace.builder(BASE).optInnerSteps(-1, 2).build());
        fails("innerSteps: the range [3, 2] is empty", () -> EraseDiffSpace.builder(BASE).optInnerSteps(3, 2));
        fails("learningRate must be > 0", () -> EraseDiffSpace.builder(BASE).optLearningRate(0, 1e-3));
        fails("innerStepSize", () -> EraseDiffSpace.builder(BASE).optInnerStepSize(1e-2, 1e-3));
        fails("steps must be >= 1", () -> EraseDiffSpace.builder(BASE).optSteps(0, 10));
        fails("lambdaRule: unknown rule 'golden'", () -> EraseDiffSpace.builder(BASE)
                .optLambdaRules(List.of("fixed", "golden")));
        fails("forgetTarget: no value", () -> EraseDiffSpace.builder(BASE).optForgetTargets(List.of()));
        fails("innerSteps / innerStepSize are swept but change nothing", () -> EraseDiffSpace.builder(BASE)
                .optInnerSteps(1, 3).build());
        fails("innerSteps must be >= 1 when q is used", () -> EraseDiffSpace.builder(BASE)
                .optLambdaRules(List.of("FIXED", "VALUE_GAP")).optInnerSteps(0, 2).build());
    }

    @Test
    void aTargetThatDoesNotFitTheModelFailsBeforeAnyCandidate() {
        TinySweepProblem p = new TinySweepProblem(5);
        EraseDiffSpace s = EraseDiffSpace.builder(BASE).optForgetTargets(ForgetTarget.uniform(),
                ForgetTarget.fixedClass(7)).build();
        fails("forgetTarget class:7",
                () -> {
                    s.validateFor(p.baseModel(), p.split());
                    return null;
                });
    }

    @Test
    void candidatesStayInTheirRangesAndCoverTheChoices() {
        EraseDiffSpace s = EraseDiffSpace.builder(BASE).optLambda(0.01, 100)
                .optLambdaRules(List.of("fixed", "value_gap")).optInnerSteps(1, 3).optInnerStepSize(1e-3, 1e-1)
                .optLearningRate(1e-4, 1e-2).optSteps(2, 4)
                .optForgetTargets(ForgetTarget.uniform(), ForgetTarget.shiftedGaussian(0.5)).build();
        List<CandidateConfig> cs = new SweepPlan(s, SweepSettings.builder(40).optSeed(1).build()).candidates();
        Set<String> rules = new HashSet<>();
        Set<Object> targets = new HashSet<>();
        int belowOne = 0;
        for (CandidateConfig c : cs) {
            EraseDiffConfig e = ((CandidateConfig.EraseDiff) c).config();
            double l = (Double) c.parameters().get("lambda");
            assertTrue(l >= 0.01 && l <= 100);
            belowOne += l < 1 ? 1 : 0;
            LambdaRule r = e.lambdaRule();
            assertEquals(l, r instanceof LambdaRule.Fixed f ? f.lambda() : ((LambdaRule.ValueGap) r).eta());
            rules.add((String) c.parameters().get("lambda_rule"));
            targets.add(c.parameters().get("target"));
            assertTrue(e.innerSteps() >= 1 && e.innerSteps() <= 3);
            assertTrue(e.outerSteps() >= 2 && e.outerSteps() <= 4);
            assertEquals(c.parameters().get("lr"), e.updater().learningRate());
            assertEquals(BASE.remainBatchSize(), e.remainBatchSize(), "unswept settings are the base's");
        }
        assertEquals(Set.of("FIXED", "VALUE_GAP"), rules);
        assertEquals(Set.of("uniform", "shifted:0.5"), targets, "targets by their command-line names");
        // log-uniform: half the draws below the geometric middle 1 (binomial, 40 draws)
        assertTrue(belowOne > 8 && belowOne < 32, "log-uniform λ: " + belowOne + " of 40 below 1");
        // the same seed gives the same candidates
        assertEquals(cs, new SweepPlan(s, SweepSettings.builder(40).optSeed(1).build()).candidates());
    }

    @Test
    void unsweptSpaceGivesTheBaseConfig() {
        CandidateConfig c = new SweepPlan(EraseDiffSpace.builder(BASE).build(), SweepSettings.builder(1).build())
                .candidates().get(0);
        assertEquals(BASE, ((CandidateConfig.EraseDiff) c).config());
        assertEquals(c, CandidateConfig.fromJson(c.method(), c.configJson(), c.parameters()));
    }

    /** A candidate's target label is the command line's spelling, and different remain-posterior variants differ. */
    @Test
    void remainPosteriorVariantsHaveDistinctLabels() {
        assertEquals("remain:250", EraseDiffSpace.label(ForgetTarget.remainPosterior(250)));
        assertEquals("remain:250:32", EraseDiffSpace.label(ForgetTarget.remainPosterior(250, 32)));
        assertEquals("remain:250:32:4.0", EraseDiffSpace.label(ForgetTarget.remainPosterior(250, 32, 4.0)));
        assertEquals("remain-same-class:250:32", EraseDiffSpace.label(ForgetTarget.remainPosteriorSameClass(250, 32)));
    }
}
