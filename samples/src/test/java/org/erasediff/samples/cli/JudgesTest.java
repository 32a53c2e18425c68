package org.erasediff.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.eval.generate.ModelEvaluator;
import org.erasediff.eval.report.ModelEvaluation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** ψ_SA beside ψ in the commands: the unlearn summary's keys, the shared evaluator's judges, classifier-eval's options. */
class JudgesTest {

    @TempDir
    Path dir;

    @Test
    void unlearnSummaryCarriesTheSecondJudgeAndFidForget() {
        ModelEvaluation m = ModelEvaluation.builder("after").metric("accuracy", 0.98).metric("fid", 40)
                .metric("kid", 50).metric("p_forget", 0.01).metric("argmax_forget", 0.002).metric("entropy_forget", 1.2)
                .metric("entropy_forget_normalised", 0.52).metric("fid_forget", 300).metric("p_forget_sa", 0.03)
                .metric("argmax_forget_sa", 0.01).metric("entropy_forget_sa", 0.9).build();
        Map<String, Object> s = UnlearnJob.summary(new ModelEvaluator.Evaluated(m, null, new int[0], null, new int[0]));
        assertEquals(List.of("p_forget", "entropy_forget", "argmax_forget", "p_forget_sa", "entropy_forget_sa",
                "argmax_forget_sa", "fid_forget", "accuracy_remain", "fid_remain", "kid_remain"), List.copyOf(s.keySet()));
        assertEquals(0.03, s.get("p_forget_sa"));
        assertEquals(0.9, s.get("entropy_forget_sa"));
        assertEquals(0.01, s.get("argmax_forget_sa"));
        assertEquals(300.0, s.get("fid_forget"));
        assertEquals(0.01, s.get("p_forget"));
        // without forgotten digits (--forget-ids) none of them
        ModelEvaluation kept = ModelEvaluation.builder("x").metric("accuracy", 1).metric("fid", 1).metric("kid", 1).build();
        assertEquals(List.of("accuracy_remain", "fid_remain", "kid_remain"), List.copyOf(UnlearnJob.summary(
                new ModelEvaluator.Evaluated(kept, null, new int[0], null, new int[0])).keySet()));
    }

    @Test
    void theSharedEvaluatorJudgesWithBothShippedClassifiers() throws Exception {
        ModelEvaluator ev = MnistEvaluators.create(ScheduleConfig.builder(org.erasediff.core.schedule.ScheduleType.LINEAR).build(), SamplerConfig.builder(10).build(), 100,
                dir);
        List<Map<String, Object>> judges = ev.judges();
        assertEquals(List.of("ψ", "ψ_SA"), judges.stream().map(j -> j.get("name")).toList());
        assertEquals(List.of("entropy_forget", "entropy_forget_sa"),
                judges.stream().map(j -> j.get("entropy_key")).toList());
        for (Map<String, Object> j : judges) {
            @SuppressWarnings("unchecked")
            Map<String, Double> cf = (Map<String, Double>) j.get("entropy_content_free");
            assertEquals(5, cf.size());
            cf.values().forEach(v -> assertTrue(v >= 0 && v <= Math.log(10) + 1e-9, j.get("name") + ": " + cf));
        }
    }

    @Test
    void classifierEvalNamesAMissingSaModel() {
        CommandLine cli = ErasediffCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("classifier-eval", "--model-sa", dir.resolve("none-sa.fb").toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("none-sa.fb"), err.toString());
    }
}
