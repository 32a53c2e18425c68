package org.erasediff.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.erasediff.dl4j.checkpoint.GraphFiles;
import org.erasediff.dl4j.graph.DiffusionGraphSpec;
import org.erasediff.dl4j.sweep.SweepResults;
import org.erasediff.dl4j.sweep.SweepSummary;
import org.erasediff.eval.sweep.SweepReport;
import org.erasediff.samples.ModelCard;
import org.erasediff.samples.ShippedAssets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code compare} and {@code sweep} on a user's own tiny model, spec JSON, image folder and judge. */
class CompareSweepUserModelCliTest {

    @TempDir
    Path dir;
    private List<String> user;

    @BeforeEach
    void files() throws Exception {
        Path model = UserModels.diffusion(dir.resolve("my.fb"), true);
        Path spec = Files.writeString(dir.resolve("spec.json"), UserModels.CONDITIONAL_SPEC);
        Path judge = UserModels.judge(dir.resolve("clf.fb"));
        Path images = UserModels.imageFolder(dir.resolve("images"));
        user = List.of("--model", model.toString(), "--spec", spec.toString(), "--data", images.toString(),
                "--judge", judge.toString(), "--judge-input", "pix", "--judge-probs", "probs", "--judge-features",
                "feats", "--forget-class", "squares", "--steps", "2", "--remain-batch", "2", "--forget-batch", "2",
                "--eval-steps", "2", "--eval-per-class", "4", "--eval-forget", "4", "--cache",
                dir.resolve("cache").toString(), "--json");
    }

    /** {@code command} on the user's files; {@code extra} adds flags or replaces the values of the base ones. */
    private CliRun run(String command, String... extra) {
        List<String> more = List.of(extra);
        List<String> args = new ArrayList<>(List.of(command));
        for (int i = 0; i < user.size(); i++) {
            boolean flagOnly = user.get(i).equals("--json");
            if (!more.contains(user.get(i))) {
                args.add(user.get(i));
                if (!flagOnly) {
                    args.add(user.get(i + 1));
                }
            }
            i += flagOnly ? 0 : 1;
        }
        args.addAll(more);
        return CliRun.of(args.toArray(new String[0]));
    }

    @Test
    void compareRunsEveryChosenMethodOnTheUsersFilesWithoutARetrainRowAndDoesNotRerunThem() throws Exception {
        Path out = dir.resolve("compare");
        JsonNode j = UserModelCliTest.lastJson(run("compare", "--methods", "erasediff,finetune", "--out",
                out.toString()));
        JsonNode methods = j.get("methods");
        assertEquals(List.of("unscrubbed", "erasediff", "finetune"), iterable(methods));
        for (String m : List.of("unscrubbed", "erasediff", "finetune")) {
            JsonNode row = methods.get(m);
            for (String k : List.of("p_forget", "argmax_forget", "accuracy_remain", "fid_remain")) {
                assertTrue(row.has(k), m + " has " + k + ": " + row);
            }
            assertFalse(row.has("weight_distance_to_retrain"), "no Retrain model for a user's model");
            assertFalse(row.has("p_forget_sa"), "the user's judge only");
        }
        assertEquals(2, methods.get("erasediff").get("steps").asInt());
        for (String f : List.of("erasediff/model.fb", "erasediff/run.json", "finetune/model.fb",
                "report/report.md", "report/erasediff.png", "report/forgetting_vs_quality.png")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        // run again: nothing is unlearned again, the same figures come out
        String sha = GraphFiles.sha256(out.resolve("erasediff/model.fb"));
        JsonNode again = UserModelCliTest.lastJson(run("compare", "--methods", "erasediff,finetune", "--out",
                out.toString()));
        assertEquals(methods, again.get("methods"));
        assertEquals(sha, GraphFiles.sha256(out.resolve("erasediff/model.fb")));
        // a finished result is not taken for a run with other settings
        CliRun other = run("compare", "--methods", "erasediff,finetune", "--method-lr", "finetune=5e-3", "--out",
                out.toString());
        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains("holds a finetune result run with other settings"), other.err());
        assertEquals(sha, GraphFiles.sha256(out.resolve("erasediff/model.fb")), "nothing overwritten");
    }

    @Test
    void compareTakesEachMethodsOwnLearningRateAndWeight() throws Exception {
        Path out = dir.resolve("own");
        JsonNode j = UserModelCliTest.lastJson(run("compare", "--methods", "finetune,esd", "--method-lr",
                "esd=5e-3", "--method-weight", "esd=2.5", "--lr", "1e-3", "--out", out.toString()));
        assertTrue(j.get("methods").has("esd"), j.toString());
        ObjectMapper json = new ObjectMapper();
        JsonNode esd = json.readTree(out.resolve("esd/run.json").toFile()).get("provenance").get("config").get("esd");
        assertEquals(5e-3, esd.get("updater").get("learningRate").asDouble());
        assertEquals(2.5, esd.get("method").get("eta").asDouble());
        JsonNode finetune = json.readTree(out.resolve("finetune/run.json").toFile()).get("provenance").get("config")
                .get("finetune");
        assertEquals(1e-3, finetune.get("updater").get("learningRate").asDouble(), "the others keep --lr");
        for (List<String> c : List.of(
                List.of("--method-lr", "sa=1e-3", "--method-lr sa: not one of the methods run (finetune, esd)"),
                List.of("--method-weight", "finetune=1", "--method-weight finetune: method finetune has no weight"),
                List.of("--method-weight", "esd=-1", "--method-weight esd: eta must be > 0"),
                List.of("--method-lr", "esd=-1", "--method-lr esd: must be > 0 and finite, was -1.0"))) {
            CliRun r = run("compare", "--methods", "finetune,esd", c.get(0), c.get(1), "--out",
                    dir.resolve("bad").toString());
            assertEquals(2, r.code(), c + ": " + r.err());
            assertTrue(r.err().contains(c.get(2)), c + ": " + r.err());
        }
        CliRun r = run("compare", "--methods", "erasediff", "--method-weight", "erasediff=1", "--out",
                dir.resolve("bad").toString());
        assertTrue(r.code() == 2 && r.err().contains("EraseDiff's weight is --lambda"), r.err());
    }

    @Test
    void aTinySweepOnTheUsersFilesWritesEveryOutputScoredByTheUsersJudge() throws Exception {
        Path out = dir.resolve("sweep");
        JsonNode j = UserModelCliTest.lastJson(run("sweep", "--candidates", "2", "--output", out.toString()));
        assertEquals(2, j.get("candidates").asInt());
        JsonNode metrics = j.get("best").get("metrics");
        assertTrue(metrics.has("p_forget") && metrics.has("fid_remain"), metrics.toString());
        assertFalse(metrics.has("p_forget_sa"), "the user's judge only");
        for (String f : List.of(SweepResults.JSONL, SweepResults.CSV, SweepSummary.BEST_CONFIG, SweepReport.PLOT,
                SweepReport.TABLE)) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        // a larger budget on the same folder runs only the new candidate
        String first = Files.readAllLines(out.resolve(SweepResults.JSONL)).get(0);
        JsonNode more = UserModelCliTest.lastJson(run("sweep", "--candidates", "3", "--output", out.toString()));
        assertEquals(3, more.get("candidates").asInt());
        assertEquals(first, Files.readAllLines(out.resolve(SweepResults.JSONL)).get(0), "candidate 0 not rerun");
    }

    @Test
    void anUnconditionalModelIsSweptByTheShareOfItsSamplesTheJudgeCallsTheForgottenClass() throws Exception {
        Path uncond = UserModels.diffusion(dir.resolve("uncond.fb"), false);
        Path spec = Files.writeString(dir.resolve("uncond-spec.json"), UserModels.UNCONDITIONAL_SPEC);
        Path out = dir.resolve("uncond-sweep");
        JsonNode j = UserModelCliTest.lastJson(run("sweep", "--model", uncond.toString(), "--spec", spec.toString(),
                "--candidates", "1", "--output", out.toString(), "--bar", "share_forget=1"));
        JsonNode best = j.get("best");
        JsonNode metrics = best.get("metrics");
        assertTrue(metrics.has("share_forget") && metrics.has("fid_remain"), metrics.toString());
        assertFalse(metrics.has("p_forget") || metrics.has("accuracy_remain"), "no prompts: " + metrics);
        double share = metrics.get("share_forget").asDouble();
        assertTrue(share >= 0 && share <= 1, "a share: " + share);
        assertEquals(share + 0.01 * metrics.get("fid_remain").asDouble(), best.get("objective").asDouble(), 1e-9,
                "the score's forgetting figure is the share");
        // a bar on a figure only prompted models have is refused before any candidate runs
        Path never = dir.resolve("never");
        CliRun bad = run("sweep", "--model", uncond.toString(), "--spec", spec.toString(), "--candidates", "1",
                "--output", never.toString(), "--bar", "p_forget=0.1");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("--bar p_forget: an unconditional model's candidates have no such figure"),
                bad.err());
        assertFalse(Files.exists(never), "nothing written");
    }

    @Test
    void badUserInputIsOneLineExitTwoAndNothingIsWritten() throws Exception {
        Path other = UserModels.diffusion(dir.resolve("uncond.fb"), false);
        new ModelCard(null, new ObjectMapper().readValue(UserModels.UNCONDITIONAL_SPEC, DiffusionGraphSpec.class),
                ShippedAssets.diffusionCard().schedule(), Map.of(), Map.of(), GraphFiles.sha256(other), "now")
                .write(Path.of(other + ".json"));
        for (String command : List.of("compare", "sweep")) {
            String outFlag = command.equals("compare") ? "--out" : "--output";
            Path out = dir.resolve(command + "-bad");
            for (var c : List.of(
                    List.of(List.of("--forget-class", "triangles"), "--forget-class triangles: no such class"),
                    List.of(List.of("--judge-input", "image"), "image input 'image' is not a variable"),
                    List.of(List.of("--spec", dir.resolve("missing.json").toString()), "missing.json"),
                    List.of(List.of("--data-images", dir.resolve("x.idx").toString()), "--data-images"))) {
                @SuppressWarnings("unchecked")
                List<String> flags = new ArrayList<>((List<String>) c.get(0));
                flags.addAll(List.of(outFlag, out.toString()));
                CliRun r = run(command, flags.toArray(new String[0]));
                assertEquals(2, r.code(), command + " " + c + ": " + r.err());
                assertEquals(1, r.errLines().size(), command + " " + c + ": " + r.err());
                assertTrue(r.err().contains((String) c.get(1)), command + " " + c + ": " + r.err());
                assertTrue(r.out().isEmpty());
                assertFalse(Files.exists(out), command + " " + c + " wrote " + out);
            }
        }
        // the shipped judges do not judge 8x8 images of two shapes
        CliRun r = CliRun.of("compare", "--model", dir.resolve("my.fb").toString(), "--spec",
                dir.resolve("spec.json").toString(), "--data", dir.resolve("images").toString(), "--forget-class",
                "squares", "--out", dir.resolve("no-judge").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("name your classifier with --judge"), r.err());
        // a Retrain model of another shape
        r = run("compare", "--retrain", other.toString(), "--out", dir.resolve("bad-retrain").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--retrain " + other + " is not a model of the same shape"), r.err());
        assertFalse(Files.exists(dir.resolve("bad-retrain")));
        // ... or with a card that is not one
        Files.writeString(Path.of(other + ".json"), "{}");
        r = run("compare", "--retrain", other.toString(), "--out", dir.resolve("bad-retrain").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("uncond.fb.json: not a valid model card: it needs a spec and a schedule"), r.err());
        assertFalse(Files.exists(dir.resolve("bad-retrain")));
    }

    private static List<String> iterable(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
