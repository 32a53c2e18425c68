package org.erasediff.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.sampling.Solver;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EvalDefaultsTest {

    @Test
    void solverNamesAreReadCaseInsensitivelyAndUnknownOnesNamed() {
        EvalDefaults.SolverConverter c = new EvalDefaults.SolverConverter();
        assertEquals(Solver.DDIM, c.convert("DDIM"));
        assertEquals(Solver.DPM_SOLVER_PP_2M, c.convert("dpm-solver++"));
        var e = assertThrows(CommandLine.TypeConversionException.class, () -> c.convert("euler"));
        assertTrue(e.getMessage().contains("'euler'"), e.getMessage());
    }

    @Test
    void theDefaultSamplerIsValidAndGuided() {
        SamplerConfig s = EvalDefaults.sampler(EvalDefaults.defaultSolver(), EvalDefaults.STEPS,
                SamplerConfig.DEFAULT_GUIDANCE_SCALE);
        assertEquals(EvalDefaults.STEPS, s.steps());
        assertEquals(SamplerConfig.DEFAULT_GUIDANCE_SCALE, s.guidanceScale());
        assertEquals(0.0, s.eta());
    }

    @Test
    void samplerSpecsParseAndBadOnesAreRejectedWithTheSpec() {
        SamplerConfig s = SamplerStudyCommand.parse("dpm-solver++:15");
        assertEquals(Solver.DPM_SOLVER_PP_2M, s.solver());
        assertEquals(15, s.steps());
        for (String bad : new String[] {"ddim", "ddim:x", ":5", "ddim:0"}) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> SamplerStudyCommand.parse(bad));
            assertTrue(e.getMessage().contains(bad.isEmpty() ? "steps" : bad.replace(":0", "")) || e.getMessage()
                    .contains("steps"), bad + ": " + e.getMessage());
        }
    }
}
