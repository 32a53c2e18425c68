package org.erasediff.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.sampling.Solver;
import org.erasediff.core.sampling.TimestepSpacing;
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
    void samplerStudyRefusesBadCountsAndClassesBeforeLoadingAnything() {
        for (String[] args : new String[][] {{"--forget-class", "10"}, {"--eval-per-class", "3"},
                {"--eval-forget", "1"}, {"--samplers", "ddim"}}) {
            java.io.StringWriter err = new java.io.StringWriter();
            CommandLine cli = ErasediffCli.commandLine();
            cli.setErr(new java.io.PrintWriter(err));
            String[] full = new String[args.length + 1];
            full[0] = "sampler-study";
            System.arraycopy(args, 0, full, 1, args.length);
            assertEquals(2, cli.execute(full), String.join(" ", args) + ": " + err);
            assertEquals(1, err.toString().strip().lines().count(), "one line: " + err);
        }
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
        assertEquals(TimestepSpacing.UNIFORM, s.spacing());
        SamplerConfig q = SamplerStudyCommand.parse("ddim:12:quadratic");
        assertEquals(Solver.DDIM, q.solver());
        assertEquals(12, q.steps());
        assertEquals(TimestepSpacing.QUADRATIC, q.spacing());
        for (String bad : new String[] {"ddim", "ddim:x", ":5", "ddim:0", "ddim:12:cubic", "ddim:12:quadratic:1"}) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> SamplerStudyCommand.parse(bad));
            assertTrue(e.getMessage().contains(bad.isEmpty() ? "steps" : bad.replace(":0", "")) || e.getMessage()
                    .contains("steps"), bad + ": " + e.getMessage());
        }
    }
}
