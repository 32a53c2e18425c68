package org.erasediff.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.erasediff.samples.cli.UserModelCliTest.assertOneLineBadInput;
import static org.erasediff.samples.cli.UserModelCliTest.lastJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.erasediff.dl4j.checkpoint.GraphFiles;
import org.erasediff.eval.deletion.DeletionReport;
import org.erasediff.eval.deletion.DeletionReportWriter;
import org.erasediff.eval.deletion.DeletionRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deletion requests for individual images end to end: the canary fine-tune and unlearn --forget-ids with evidence. */
class DeletionRequestCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Path model;
    private Path spec;
    private Path judge;
    private Path images;
    private Path heldOut;

    @BeforeEach
    void files() throws Exception {
        model = UserModels.diffusion(dir.resolve("my.fb"), true);
        spec = Files.writeString(dir.resolve("spec.json"), UserModels.CONDITIONAL_SPEC);
        judge = UserModels.judge(dir.resolve("clf.fb"));
        images = UserModels.imageFolder(dir.resolve("images"));
        heldOut = UserModels.imageFolder(dir.resolve("heldout"));
    }

    /** unlearn --forget-ids on the user's tiny conditional graph, tiny settings; {@code extra} adds flags. */
    private CliRun unlearn(Path out, String... extra) {
        return unlearn(model, spec, out, extra);
    }

    private CliRun unlearn(Path modelFile, Path specFile, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("unlearn", "--json", "--model", modelFile.toString(), "--spec",
                specFile.toString(), "--data", images.toString(), "--judge", judge.toString(), "--judge-input", "pix",
                "--judge-probs", "probs", "--judge-features", "feats", "--steps", "2", "--remain-batch", "2",
                "--forget-batch", "2", "--eval-steps", "2", "--eval-per-class", "4", "--memorisation-samples", "3",
                "--threshold-images", "4", "--heldout-images", "5", "--cache", dir.resolve("cache").toString(),
                "--output", out.toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(new String[0]));
    }

    @Test
    void forgettingImagesWritesTheDeletionReportWithTheEvidenceBeforeAndAfter() throws Exception {
        Path out = dir.resolve("run");
        JsonNode j = lastJson(unlearn(out, "--forget-ids", "1,6", "--heldout", heldOut.toString()));
        for (String side : List.of("before", "after")) {
            JsonNode s = j.get(side);
            for (String k : List.of("memorised_fraction", "mia_auc", "mia_tpr_at_1pct_fpr", "accuracy", "fid")) {
                assertTrue(s.has(k), side + " has " + k + ": " + s);
            }
            double m = s.get("memorised_fraction").asDouble();
            assertTrue(m == 0 || m == 0.5 || m == 1, "a share of two images: " + m);
            double auc = s.get("mia_auc").asDouble();
            assertTrue(auc >= 0 && auc <= 1, side + " auc " + auc);
        }
        DeletionReport r = DeletionReportWriter.read(out.resolve(DeletionReportWriter.JSON_FILE));
        assertEquals(List.of(1, 6), r.request().images().stream().map(DeletionRequest.RequestedImage::id).toList());
        assertEquals(List.of(0, 1), r.request().images().stream().map(DeletionRequest.RequestedImage::label).toList());
        assertEquals(GraphFiles.sha256(model), r.inputModelSha256());
        assertEquals(GraphFiles.sha256(out.resolve("model.fb")), r.outputModelSha256());
        assertEquals(j.get("before").get("mia_auc").asDouble(), r.before().figure("mia_auc"), 1e-12);
        assertEquals(j.get("after").get("memorised_fraction").asDouble(), r.after().figure("memorised_fraction"));
        assertEquals(2, r.after().images().size());
        assertEquals("EraseDiff", r.method().get("name"));
        assertTrue(r.evidenceSettings().containsKey("near_copy_threshold"), r.evidenceSettings().toString());
        assertTrue(r.timings().get("unlearning_seconds") > 0);
        assertTrue(r.command().startsWith("./erasediff unlearn"), r.command());
        String md = Files.readString(out.resolve(DeletionReportWriter.MARKDOWN_FILE));
        assertTrue(md.contains(r.request().images().get(0).sha256()) && md.contains("| mia_auc |"), md);
        assertTrue(md.contains("![nearest](nearest.png)") && Files.size(out.resolve("nearest.png")) > 0, md);
        assertTrue(Files.isRegularFile(out.resolve("report/after.png")), "the quality report too");
    }

    @Test
    void anUnconditionalModelIsSearchedForNearCopiesAmongItsSamples() throws Exception {
        Path uncond = UserModels.diffusion(dir.resolve("uncond.fb"), false);
        Path uncondSpec = Files.writeString(dir.resolve("uncond-spec.json"), UserModels.UNCONDITIONAL_SPEC);
        Path out = dir.resolve("uncond-run");
        JsonNode j = lastJson(unlearn(uncond, uncondSpec, out, "--forget-ids", "2", "--heldout", heldOut.toString()));
        for (String side : List.of("before", "after")) {
            JsonNode s = j.get(side);
            for (String k : List.of("memorised_fraction", "mia_auc", "mia_tpr_at_1pct_fpr", "fid")) {
                assertTrue(s.has(k), side + " has " + k + ": " + s);
            }
            assertFalse(s.has("accuracy"), "no prompts, no accuracy: " + s);
        }
        DeletionReport r = DeletionReportWriter.read(out.resolve(DeletionReportWriter.JSON_FILE));
        assertEquals(List.of(2), r.request().images().stream().map(DeletionRequest.RequestedImage::id).toList());
    }

    @Test
    void theMembershipStopEndsUnlearningAtTheFirstProbeThatMeetsIt() throws Exception {
        Path out = dir.resolve("stopped");
        // an AUC is at most 1, so the first probe (after step 1) stops the run of 2 steps
        JsonNode j = lastJson(unlearn(out, "--forget-ids", "1,6", "--heldout", heldOut.toString(),
                "--stop-at-mia-auc", "1", "--stop-every", "1"));
        assertEquals(1, j.get("steps").asInt(), j.toString());
        JsonNode card = JSON.readTree(out.resolve("model.fb.json").toFile());
        assertEquals("1.0", card.at("/training/provenance/inputs/stop_at_mia_auc").asText(), card.toString());
        assertTrue(j.get("after").has("mia_auc"), "the evidence is collected as usual");
    }

    @Test
    void badRequestsAreOneLineExitTwoAndNothingIsWritten() throws Exception {
        Path out = dir.resolve("never");
        assertOneLineBadInput(unlearn(out, "--forget-ids", "1,99", "--heldout", heldOut.toString()),
                "1 sample id(s) to forget are not in");
        assertOneLineBadInput(unlearn(out, "--forget-ids", "1"), "give --heldout DIR");
        assertOneLineBadInput(unlearn(out, "--forget-ids", "1", "--heldout", heldOut.toString(),
                "--near-copy-fraction", "2"), "--near-copy-fraction must be in (0, 1]");
        assertOneLineBadInput(unlearn(out, "--forget-ids", "1", "--heldout", heldOut.toString(),
                "--stop-at-mia-auc", "0"), "--stop-at-mia-auc must be in (0, 1]");
        assertOneLineBadInput(unlearn(out, "--forget-ids", "1", "--heldout", heldOut.toString(),
                "--stop-every", "5"), "--stop-every needs --stop-at-mia-auc");
        assertOneLineBadInput(unlearn(out, "--forget-class", "0", "--stop-at-mia-auc", "0.5"),
                "--stop-at-mia-auc needs --forget-ids");
        assertFalse(Files.exists(out), "nothing was written");
    }

    @Test
    void canaryFineTuneDuplicatesTheCanariesAndItsCardRecordsThem() throws Exception {
        Path base = dir.resolve("base.fb");
        lastJson(CliRun.of("train", "--data", images.toString(), "--image-size", "8", "--widths", "8,16",
                "--no-attention", "--steps", "1", "--batch", "2", "--warmup", "0", "--output", base.toString(),
                "--json"));
        Path canary = dir.resolve("canary.fb");
        List<String> args = List.of("train", "--data", images.toString(), "--init-model", base.toString(),
                "--canary-ids", "1,6", "--canary-copies", "5", "--steps", "2", "--batch", "2", "--warmup", "0",
                "--checkpoint-every", "1", "--output", canary.toString(), "--json");
        lastJson(CliRun.of(args.toArray(new String[0])));
        JsonNode training = JSON.readTree(Files.readString(Path.of(canary + ".json"))).get("training");
        assertEquals(List.of(1, 6), List.of(training.get("canary_ids").get(0).asInt(),
                training.get("canary_ids").get(1).asInt()));
        assertEquals(5, training.get("canary_copies").asInt());
        assertEquals(10 + 2 * 4, training.get("train_images").asInt(), "each canary 5 times");
        assertTrue(training.get("canary_duplicate_ids").asText().startsWith("10..17"), training.toString());
        assertEquals(GraphFiles.sha256(base), training.get("init_model_sha256").asText());
        assertTrue(training.get("command").asText().contains("--canary-copies 5"), training.toString());
        JsonNode baseCard = JSON.readTree(Files.readString(Path.of(base + ".json")));
        assertEquals(baseCard.get("unet"), JSON.readTree(Files.readString(Path.of(canary + ".json"))).get("unet"),
                "the architecture comes from the initial model");
        assertFalse(GraphFiles.sha256(base).equals(GraphFiles.sha256(canary)), "the weights moved");

        // the same command resumes from its checkpoints: at step 2 of 2 nothing is left to train
        Path again = dir.resolve("canary-again.fb");
        List<String> resume = new ArrayList<>(args);
        resume.set(resume.indexOf(canary.toString()), again.toString());
        resume.addAll(List.of("--checkpoints", canary + ".checkpoints"));
        JsonNode r = lastJson(CliRun.of(resume.toArray(new String[0])));
        assertEquals(GraphFiles.sha256(canary), GraphFiles.sha256(again), "resumed at the end: the same model");
        assertEquals(2, JSON.readTree(Files.readString(Path.of(again + ".json"))).get("training")
                .get("resumed_from_step").asInt());
        assertEquals(2, r.get("steps").asInt());

        assertOneLineBadInput(CliRun.of("train", "--data", images.toString(), "--init-model", base.toString(),
                "--widths", "8,16", "--steps", "1", "--output", dir.resolve("x.fb").toString()),
                "--widths does not apply with --init-model");
        assertOneLineBadInput(CliRun.of("train", "--data", images.toString(), "--init-model", base.toString(),
                "--no-attention", "--steps", "1", "--output", dir.resolve("x.fb").toString()),
                "--attention does not apply with --init-model");
        assertOneLineBadInput(CliRun.of("train", "--data", images.toString(), "--init-model", base.toString(),
                "--canary-ids", "1", "--steps", "1", "--output", dir.resolve("x.fb").toString()),
                "--canary-ids and --canary-copies go together");
        assertOneLineBadInput(CliRun.of("train", "--data", images.toString(), "--init-model", base.toString(),
                "--canary-ids", "1,60", "--canary-copies", "3", "--steps", "1", "--output",
                dir.resolve("x.fb").toString()), "canary id(s) are not in");
        assertFalse(Files.exists(dir.resolve("x.fb")));
    }
}
