package org.erasediff.dl4j.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.erasediff.core.unlearn.BaselineConfig;
import org.erasediff.core.unlearn.BaselineMethod;
import org.junit.jupiter.api.Test;

class BaselineSpaceTest {

    private static BaselineConfig base(BaselineMethod m) {
        return BaselineConfig.builder(m).optSteps(5).build();
    }

    private static void fails(String expected, Supplier<?> build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
        assertTrue(e.getMessage().contains(expected), "'" + expected + "' in: " + e.getMessage());
    }

    private static List<CandidateConfig> draw(BaselineSpace s, int n) {
        return new SweepPlan(s, SweepSettings.builder(n).optSeed(3).build()).candidates();
    }

    @Test
    void selectiveAmnesiasLambdaIsSweptLogUniformlyAndTheRestKept() {
        BaselineMethod.SelectiveAmnesia sa = new BaselineMethod.SelectiveAmnesia();
        BaselineSpace s = BaselineSpace.builder(base(sa)).optWeight(1e-4, 10).build();
        int belowGeometricMiddle = 0;
        for (CandidateConfig c : draw(s, 40)) {
            BaselineMethod.SelectiveAmnesia m = (BaselineMethod.SelectiveAmnesia) ((CandidateConfig.Baseline) c)
                    .config().method();
            double l = (Double) c.parameters().get("lambda");
            assertEquals(l, m.lambda(), "the recorded λ is the candidate's");
            assertTrue(l >= 1e-4 && l <= 10, "in range: " + l);
            belowGeometricMiddle += l < Math.sqrt(1e-4 * 10) ? 1 : 0;
            assertEquals(sa.withWeight(l), m, "only λ differs from the base method");
            assertEquals(c, CandidateConfig.fromJson(c.method(), c.configJson(), c.parameters()));
        }
        // log-uniform over five decades: about half the draws below 10^-1.5 ≈ 0.032 (binomial, 40 draws)
        assertTrue(belowGeometricMiddle > 8 && belowGeometricMiddle < 32, belowGeometricMiddle + " of 40");
    }

    @Test
    void eachMethodsOwnWeightIsTheOneSwept() {
        CandidateConfig salun = draw(BaselineSpace.builder(base(new BaselineMethod.SalUn())).optWeight(0.5, 0.5)
                .build(), 1).get(0);
        assertEquals(new BaselineMethod.SalUn(0.5, 0.5), ((CandidateConfig.Baseline) salun).config().method());
        assertEquals(0.5, salun.parameters().get("alpha"));
        CandidateConfig esd = draw(BaselineSpace.builder(base(new BaselineMethod.Esd())).optWeight(2, 4).build(), 1)
                .get(0);
        double eta = ((BaselineMethod.Esd) ((CandidateConfig.Baseline) esd).config().method()).eta();
        assertEquals(eta, esd.parameters().get("eta"));
        assertTrue(eta >= 2 && eta <= 4);
    }

    @Test
    void anUnsweptWeightIsTheBaseMethodsAndNotRecorded() {
        BaselineConfig b = base(new BaselineMethod.SelectiveAmnesia());
        CandidateConfig c = draw(BaselineSpace.builder(b).build(), 1).get(0);
        assertEquals(b, ((CandidateConfig.Baseline) c).config());
        assertFalse(c.parameters().containsKey("lambda"), "results of sweeps without a weight keep their columns");
    }

    @Test
    void badWeightsFailNamingTheParameter() {
        fails("method neggrad has no weight to sweep", () -> BaselineSpace.builder(base(new BaselineMethod.NegGrad()))
                .optWeight(1, 2));
        fails("sa lambda: the range [2.0, 1.0] is empty", () -> BaselineSpace.builder(
                base(new BaselineMethod.SelectiveAmnesia())).optWeight(2, 1));
        fails("sa lambda must be >= 0", () -> BaselineSpace.builder(base(new BaselineMethod.SelectiveAmnesia()))
                .optWeight(-1, 1));
        fails("esd eta: eta must be > 0", () -> BaselineSpace.builder(base(new BaselineMethod.Esd()))
                .optWeight(0, 0));
    }
}
