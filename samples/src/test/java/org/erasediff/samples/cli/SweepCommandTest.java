package org.erasediff.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.dl4j.sweep.SweepResults;
import org.erasediff.dl4j.sweep.SweepSummary;
import org.erasediff.eval.sweep.SweepReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SweepCommandTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    /** The sweep command as the launcher runs it (its error handling: bad input exits with 2). */
    private static Run run(String... args) {
        CommandLine cli = ErasediffCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            String[] all = new String[args.length + 1];
            all[0] = "sweep";
            System.arraycopy(args, 0, all, 1, args.length);
            int code = cli.execute(all);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void badSpacesFailNamingTheParameterBeforeAnyWork() {
        Path out = dir.resolve("s");
        for (var c : List.of(List.of("--lambda", "3:1", "lambda: the range [3.0, 1.0] is empty"),
                List.of("--lambda", "-1:1", "lambda must be >= 0"),
                List.of("--inner-steps", "-1", "innerSteps must be >= 0"),
                List.of("--lambda-rules", "fixed,golden", "lambdaRule: unknown rule 'golden'"),
                List.of("--targets", "uniform,gaussian", "unknown forgetting target 'gaussian'"),
                List.of("--method", "retrain", "--method: unknown method 'retrain'"),
                List.of("--candidates", "0", "maxCandidates must be >= 1"),
                List.of("--bar", "argmax=0.01", "--bar argmax: not a figure of the sweep"),
                List.of("--bar", "p_forget=NaN", "the bar on 'p_forget' must be finite"),
                List.of("--weight", "1:2", "--weight is a baseline's (sa, salun, esd); EraseDiff's λ is --lambda"),
                List.of("--method", "neggrad", "--weight", "1:2", "--weight: method neggrad has no weight to sweep"),
                List.of("--method", "sa", "--weight", "2:1", "--weight: sa lambda: the range [2.0, 1.0] is empty"),
                List.of("--method", "esd", "--weight", "0", "--weight: esd eta: eta must be > 0"),
                List.of("--method", "sa", "--lambda", "1:2", "--lambda is EraseDiff's; a baseline (--method sa)"),
                List.of("--method", "finetune", "--targets", "uniform", "--targets is EraseDiff's"),
                List.of("--method", "esd", "--inner-steps", "3", "--inner-steps is EraseDiff's"))) {
            List<String> args = new java.util.ArrayList<>(List.of("--output", out.toString()));
            args.addAll(c.subList(0, c.size() - 1));
            Run r = run(args.toArray(new String[0]));
            assertEquals(2, r.code(), c + ": " + r.err());
            assertTrue(r.err().contains(c.get(c.size() - 1)), c + ": " + r.err());
            assertTrue(!Files.exists(out), "nothing was written for " + c);
        }
    }

    @Test
    void aTinySweepOnTheShippedModelWritesEveryOutputAndPrintsTheSummaryLast() throws Exception {
        Path out = dir.resolve("s");
        Run r = run("--output", out.toString(), "--json", "--candidates", "1", "--steps", "1", "--remain-batch", "8",
                "--forget-batch", "8", "--eval-per-class", "2", "--eval-forget", "4", "--eval-steps", "2",
                "--cache", dir.resolve("cache").toString());
        assertEquals(0, r.code(), r.err());
        String last = r.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        JsonNode j = new ObjectMapper().readTree(last);
        assertEquals(1, j.get("candidates").asInt());
        assertTrue(j.get("best").get("metrics").has("p_forget_sa"), last);
        assertTrue(j.get("pareto").size() >= 1, last);
        for (String f : List.of(SweepResults.JSONL, SweepResults.CSV, SweepSummary.BEST_CONFIG, SweepReport.PLOT,
                SweepReport.TABLE)) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        EraseDiffConfig best = EraseDiffConfig.fromJson(Files.readString(out.resolve(SweepSummary.BEST_CONFIG)));
        assertEquals(j.get("best").get("parameters").get("lr").asDouble(), best.updater().learningRate());
        assertEquals(8, best.remainBatchSize(), "the command's --remain-batch");
    }
}
