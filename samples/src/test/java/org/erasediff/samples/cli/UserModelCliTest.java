package org.erasediff.samples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.dl4j.checkpoint.GraphFiles;
import org.erasediff.dl4j.checkpoint.NamedArrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The CLI end to end on a user's own tiny model, spec JSON, image folder, judge and config file. */
class UserModelCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Path model;
    private Path uncond;
    private Path spec;
    private Path uncondSpec;
    private Path judge;
    private Path images;

    @BeforeEach
    void files() throws Exception {
        model = UserModels.diffusion(dir.resolve("my.fb"), true);
        uncond = UserModels.diffusion(dir.resolve("uncond.fb"), false);
        spec = Files.writeString(dir.resolve("spec.json"), UserModels.CONDITIONAL_SPEC);
        uncondSpec = Files.writeString(dir.resolve("uncond-spec.json"), UserModels.UNCONDITIONAL_SPEC);
        judge = UserModels.judge(dir.resolve("clf.fb"));
        images = UserModels.imageFolder(dir.resolve("images"));
    }

    /** unlearn on the user's files, tiny settings; {@code extra} adds flags or replaces the values of these. */
    private CliRun unlearn(Path modelFile, Path specFile, Path out, String... extra) {
        List<String> base = List.of("--model", modelFile.toString(), "--spec", specFile.toString(), "--data",
                images.toString(), "--judge", judge.toString(), "--judge-input", "pix", "--judge-probs", "probs",
                "--judge-features", "feats", "--steps", "2", "--remain-batch", "2", "--forget-batch", "2",
                "--eval-steps", "2", "--eval-per-class", "4", "--eval-forget", "4", "--cache",
                dir.resolve("cache").toString(), "--output", out.toString());
        List<String> more = List.of(extra);
        List<String> args = new ArrayList<>(List.of("unlearn", "--json"));
        for (int i = 0; i < base.size(); i += 2) {
            if (!more.contains(base.get(i))) {
                args.add(base.get(i));
                args.add(base.get(i + 1));
            }
        }
        args.addAll(more);
        return CliRun.of(args.toArray(new String[0]));
    }

    /** The JSON line of a successful run that printed only it (shared by the CLI tests). */
    static JsonNode lastJson(CliRun r) throws Exception {
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.outLines().size(), "stdout is exactly the JSON line: " + r.out());
        return JSON.readTree(r.outLines().get(0));
    }

    @Test
    void unlearnsAClassOfAnImageFolderFromAUserGraphJudgedByTheUsersClassifier() throws Exception {
        Path out = dir.resolve("run");
        JsonNode j = lastJson(unlearn(model, spec, out, "--forget-class", "squares"));
        for (String side : List.of("before", "after")) {
            JsonNode s = j.get(side);
            for (String k : List.of("p_forget", "entropy_forget", "argmax_forget", "fid_forget", "accuracy_remain",
                    "fid_remain", "kid_remain")) {
                assertTrue(s.has(k), side + " has " + k + ": " + s);
            }
            assertFalse(s.has("p_forget_sa"), "no second judge for the user's data");
            double p = s.get("p_forget").asDouble();
            assertTrue(p >= 0 && p <= 1, side + " p_forget " + p);
        }
        assertEquals(2, j.get("steps").asInt());
        assertTrue(j.get("seconds").asDouble() > 0 && j.get("eval_seconds").asDouble() > 0);
        assertEquals(out.toString(), j.get("output").asText());
        for (String f : List.of("config.json", "model.fb", "model.fb.json", "report/report.md", "report/after.png")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertFalse(model.equals(out.resolve("model.fb")));
        // the output model is named by its hash in the JSON, its card and the report, beside the input's
        String outSha = GraphFiles.sha256(out.resolve("model.fb"));
        assertEquals(outSha, j.get("output_model_sha256").asText());
        assertEquals(outSha, JSON.readTree(out.resolve("model.fb.json").toFile()).get("modelSha256").asText());
        JsonNode provenance = JSON.readTree(out.resolve("report/report.json").toFile()).get("provenance");
        assertEquals(outSha, provenance.get("output_model_sha256").asText());
        assertEquals(GraphFiles.sha256(model), provenance.get("input_model_sha256").asText());
        assertEquals(4, provenance.get("eval_images").get("per_kept_class").asInt());
        assertEquals(4, provenance.get("eval_images").get("per_forgotten_class").asInt());
    }

    /** The default interval (50) checkpoints a 3-step run once, at its end; {@code --checkpoint-every 1} each step. */
    @Test
    void theCheckpointIntervalIsTheUsers() throws Exception {
        for (String every : new String[] {null, "1"}) {
            Path out = dir.resolve("ck-" + every);
            List<String> extra = new ArrayList<>(List.of("--forget-class", "squares", "--steps", "3", "--no-eval"));
            if (every != null) {
                extra.addAll(List.of("--checkpoint-every", every));
            }
            lastJson(unlearn(model, spec, out, extra.toArray(new String[0])));
            try (var s = Files.list(out.resolve("checkpoints"))) {
                // the store keeps the newest two
                assertEquals(every == null ? List.of("step-00000003") : List.of("step-00000002", "step-00000003"),
                        s.map(p -> p.getFileName().toString()).sorted().toList());
            }
        }
    }

    @Test
    void aConfigFileGivesTheSettingsFlagsOverrideThemAndTheSettingsUsedAreWrittenBeside() throws Exception {
        Path yaml = Files.writeString(dir.resolve("best.yaml"), "outerSteps: 3\nlambdaRule: {type: FIXED, lambda: 0.5}\n"
                + "updater: {type: ADAM, learningRate: 0.003}\nseed: 11\n");
        Path out = dir.resolve("yaml-run");
        // --steps from the command line beats the file's outerSteps; everything else comes from the file
        JsonNode j = lastJson(CliRun.of("unlearn", "--model", model.toString(), "--spec", spec.toString(), "--data",
                images.toString(), "--config", yaml.toString(), "--steps", "2", "--remain-batch", "2",
                "--forget-batch", "2", "--forget-class", "0", "--no-eval", "--output", out.toString(), "--json"));
        assertEquals(2, j.get("steps").asInt());
        EraseDiffConfig used = EraseDiffConfig.fromJson(Files.readString(out.resolve("config.json")));
        assertEquals(2, used.outerSteps());
        assertEquals(11, used.seed());
        assertEquals(0.003, used.updater().learningRate(), 1e-12);
        assertEquals(new org.erasediff.core.unlearn.LambdaRule.Fixed(0.5), used.lambdaRule());
        assertFalse(j.has("before"), "--no-eval");

        // the written config.json is accepted unchanged by --config (a sweep's export format)
        Path again = dir.resolve("again");
        lastJson(CliRun.of("unlearn", "--model", model.toString(), "--spec", spec.toString(), "--data",
                images.toString(), "--config", out.resolve("config.json").toString(), "--forget-class", "circles",
                "--no-eval", "--output", again.toString(), "--json"));
        assertEquals(used, EraseDiffConfig.fromJson(Files.readString(again.resolve("config.json"))));

        // the unlearned model's card carries the user's spec: the model is usable without --spec
        JsonNode s = lastJson(CliRun.of("sample", "--model", again.resolve("model.fb").toString(), "--per-class", "1",
                "--steps", "1", "--output", dir.resolve("from-card").toString(), "--json"));
        assertEquals(2, s.get("images").asInt());
        assertTrue(Files.readString(again.resolve("model.fb.json")).contains("\"command\" : \"./erasediff unlearn "),
                "the command line is recorded");
    }

    @Test
    void anUnconditionalModelIsJudgedByTheClassHistogramOfItsSamples() throws Exception {
        Path out = dir.resolve("uncond-run");
        JsonNode j = lastJson(unlearn(uncond, uncondSpec, out, "--forget-class", "squares"));
        for (String side : List.of("before", "after")) {
            JsonNode s = j.get(side);
            assertTrue(s.has("share_forget") && s.has("class_histogram") && s.has("fid_remain"), s.toString());
            assertFalse(s.has("p_forget") || s.has("accuracy_remain"), "no per-class prompts: " + s);
            double sum = 0;
            for (JsonNode v : s.get("class_histogram")) {
                sum += v.asDouble();
            }
            assertEquals(1.0, sum, 1e-9, "the histogram covers every sample");
            assertEquals(s.get("class_histogram").get(1).asDouble(), s.get("share_forget").asDouble(), 1e-12,
                    "squares is class 1");
        }
        assertTrue(Files.isRegularFile(out.resolve("report/before.png")));
        JsonNode images = JSON.readTree(out.resolve("report/report.json").toFile()).get("provenance")
                .get("eval_images");
        assertEquals(8, images.get("unconditional").asInt(), "--eval-per-class 4 × 2 classes: " + images);
        // where the samples went: pairs from the same starting noise, rows before, columns after
        JsonNode t = j.get("class_transitions");
        int total = 0;
        int same = 0;
        for (int a = 0; a < t.get("counts").size(); a++) {
            double rowSum = 0;
            double colSum = 0;
            for (int b = 0; b < t.get("counts").size(); b++) {
                total += t.get("counts").get(a).get(b).asInt();
                rowSum += t.get("counts").get(a).get(b).asInt();
                colSum += t.get("counts").get(b).get(a).asInt();
            }
            same += t.get("counts").get(a).get(a).asInt();
            assertEquals(j.get("before").get("class_histogram").get(a).asDouble(), rowSum / sampleCount(j), 1e-9);
            assertEquals(j.get("after").get("class_histogram").get(a).asDouble(), colSum / sampleCount(j), 1e-9);
        }
        assertEquals(1.0 - same / (double) total, t.get("changed_fraction").asDouble(), 1e-12);
        assertTrue(Files.readString(out.resolve("report/class-transitions.md")).contains("changed class"));
    }

    /** The number of samples behind a run's histograms: the transitions' total. */
    private static int sampleCount(JsonNode j) {
        int n = 0;
        for (JsonNode row : j.get("class_transitions").get("counts")) {
            for (JsonNode v : row) {
                n += v.asInt();
            }
        }
        return n;
    }

    @Test
    void imagesToForgetCanBeNamedByPathOrIdInAFile() throws Exception {
        Path ids = Files.writeString(dir.resolve("forget.txt"), "# two squares\nsquares/s1.png\n"
                + images.resolve("squares/s3.png").toAbsolutePath() + "\n\n0\n");
        Path out = dir.resolve("ids-run");
        JsonNode j = lastJson(unlearn(model, spec, out, "--forget-ids-file", ids.toString(), "--no-eval"));
        assertEquals(2, j.get("steps").asInt());
        String card = Files.readString(out.resolve("model.fb.json"));
        assertTrue(card.contains("3 sample ids"), card);

        Path bad = Files.writeString(dir.resolve("bad.txt"), "squares/nope.png\n");
        CliRun r = unlearn(model, spec, dir.resolve("bad-run"), "--forget-ids-file", bad.toString(), "--no-eval");
        assertOneLineBadInput(r, "line 1: 'squares/nope.png'");
        assertFalse(Files.exists(dir.resolve("bad-run")));
    }

    @Test
    void evalJudgesAUserModelAgainstTheUsersImages() throws Exception {
        List<String> common = List.of("--data", images.toString(), "--judge", judge.toString(), "--judge-input", "pix",
                "--judge-probs", "probs", "--judge-features", "feats", "--per-class", "4", "--steps", "2", "--cache",
                dir.resolve("cache").toString(), "--json");
        List<String> args = new ArrayList<>(List.of("eval", "--model", model.toString(), "--spec", spec.toString(),
                "--report", dir.resolve("eval").toString()));
        args.addAll(common);
        JsonNode j = lastJson(CliRun.of(args.toArray(new String[0])));
        assertEquals(8, j.get("images").asInt());
        assertEquals(2, j.get("per_class_accuracy").size());
        assertTrue(j.has("fid") && j.has("kid") && j.has("precision"), j.toString());
        assertTrue(Files.isRegularFile(dir.resolve("eval/report.md")));

        List<String> u = new ArrayList<>(List.of("eval", "--model", uncond.toString(), "--spec", uncondSpec.toString(),
                "--report", dir.resolve("eval-u").toString()));
        u.addAll(common);
        JsonNode ju = lastJson(CliRun.of(u.toArray(new String[0])));
        assertEquals(8, ju.get("images").asInt(), "per class × classes samples");
        assertEquals(2, ju.get("class_histogram").size());
        assertFalse(ju.has("accuracy"), ju.toString());

        CliRun wrongShape = CliRun.of("eval", "--model", model.toString(), "--spec", spec.toString(), "--report",
                dir.resolve("never").toString());
        assertOneLineBadInput(wrongShape, "has [1, 28, 28] images but the model takes [1, 8, 8]");
        assertFalse(Files.exists(dir.resolve("never")));
    }

    @Test
    void trainsTheReferenceUNetOnAnImageFolderConditionalOrNot() throws Exception {
        for (boolean conditional : new boolean[] {true, false}) {
            Path out = dir.resolve("unet-" + conditional + ".fb");
            List<String> args = new ArrayList<>(List.of("train", "--data", images.toString(), "--image-size", "8",
                    "--channels", "3", "--widths", "8,16", "--no-attention", "--steps", "2", "--batch", "2",
                    "--warmup", "1", "--checkpoint-every", "1", "--output", out.toString(), "--json"));
            if (!conditional) {
                args.add("--unconditional");
            }
            JsonNode j = lastJson(CliRun.of(args.toArray(new String[0])));
            assertEquals(2, j.get("steps").asInt());
            JsonNode card = JSON.readTree(Files.readString(Path.of(out + ".json")));
            assertEquals(conditional ? 2 : 0, card.get("unet").get("numClasses").asInt());
            assertEquals(3, card.get("unet").get("imageChannels").asInt());
            // the trained model is usable from its card
            JsonNode s = lastJson(CliRun.of("sample", "--model", out.toString(), "--per-class", "1", "--count", "2",
                    "--steps", "1", "--output", dir.resolve("s-" + conditional).toString(), "--json"));
            assertEquals(2, s.get("images").asInt());
            assertArrayEquals(new long[] {2, 3, 8, 8}, NamedArrays.read(dir.resolve("s-" + conditional)
                    .resolve("samples.bin")).get("samples").shape());
        }
    }

    @Test
    void idxFilesAreDataToo() throws Exception {
        int n = 6;
        java.nio.ByteBuffer img = java.nio.ByteBuffer.allocate(16 + n * 64).putInt(0x0803).putInt(n).putInt(8)
                .putInt(8);
        java.nio.ByteBuffer lab = java.nio.ByteBuffer.allocate(8 + n).putInt(0x0801).putInt(n);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 64; p++) {
                img.put((byte) ((p % 8 < 4) == (i % 2 == 0) ? 255 : 0));
            }
            lab.put((byte) (i % 2));
        }
        Path images = Files.write(dir.resolve("images.idx"), img.array());
        Path labels = Files.write(dir.resolve("labels.idx"), lab.array());
        Path out = dir.resolve("idx-run");
        JsonNode j = lastJson(CliRun.of("unlearn", "--model", model.toString(), "--spec", spec.toString(),
                "--data-images", images.toString(), "--data-labels", labels.toString(), "--forget-ids", "0,2",
                "--steps", "1", "--remain-batch", "2", "--forget-batch", "2", "--no-eval", "--output", out.toString(),
                "--json"));
        assertEquals(1, j.get("steps").asInt());
        assertTrue(Files.readString(out.resolve("model.fb.json")).contains("2 sample ids of images.idx"));
        // 8x8 images are not MNIST digits: the shipped judges refuse them
        CliRun noJudge = CliRun.of("unlearn", "--model", model.toString(), "--spec", spec.toString(),
                "--data-images", images.toString(), "--data-labels", labels.toString(), "--forget-class", "1",
                "--output", dir.resolve("no-judge").toString());
        assertOneLineBadInput(noJudge, "name your classifier with --judge");
        assertFalse(Files.exists(dir.resolve("no-judge")));
    }

    @Test
    void badInputIsOneLineExitTwoAndNothingIsWritten() throws Exception {
        Path out = dir.resolve("never");
        Path wrongName = Files.writeString(dir.resolve("wrong.json"),
                UserModels.CONDITIONAL_SPEC.replace("\"klass\"", "\"label_in\""));
        assertOneLineBadInput(unlearn(model, wrongName, out, "--forget-class", "0"), "labelInput 'label_in' is not in "
                + "the graph");
        Path badField = Files.writeString(dir.resolve("field.json"), "{\"outerSteps\": -1}");
        assertOneLineBadInput(unlearn(model, spec, out, "--forget-class", "0", "--config", badField.toString()),
                "field.json: invalid EraseDiff config: outerSteps must be >= 1");
        assertOneLineBadInput(unlearn(dir.resolve("missing.fb"), spec, out, "--forget-class", "0"), "missing.fb");
        Path corrupt = Files.writeString(dir.resolve("corrupt.fb"), "not a flatbuffers graph at all, long enough");
        assertOneLineBadInput(unlearn(corrupt, spec, out, "--forget-class", "0"), "corrupt.fb");
        assertOneLineBadInput(unlearn(model, spec, out, "--forget-class", "dogs"), "--forget-class dogs: no such class");
        assertOneLineBadInput(unlearn(model, spec, out, "--forget-class", "0", "--judge-probs", "nope"),
                "'nope' is not a variable of the classifier graph");
        assertOneLineBadInput(unlearn(model, spec, out, "--forget-class", "0", "--steps", "zero"), "--steps");
        assertOneLineBadInput(unlearn(model, spec, out), "exactly one of --forget-class");
        assertFalse(Files.exists(out), "nothing was written");

        Path taken = Files.createDirectories(dir.resolve("taken"));
        Files.writeString(taken.resolve("keep.txt"), "x");
        assertOneLineBadInput(unlearn(model, spec, taken, "--forget-class", "0"), "exists");
        try (var s = Files.list(taken)) {
            assertEquals(List.of(taken.resolve("keep.txt")), s.toList(), "an existing output is left alone");
        }
    }

    /** Asserts bad input: exit 2, one line on stderr naming {@code fragment}, nothing on stdout. */
    static void assertOneLineBadInput(CliRun r, String fragment) {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.errLines().size(), "one line: " + r.err());
        assertTrue(r.err().contains(fragment), r.err());
        assertTrue(r.out().isEmpty(), "nothing on stdout: " + r.out());
    }

    @Test
    void sampleWritesAGridAndTheArraysForConditionalAndUnconditionalModels() throws Exception {
        Path out = dir.resolve("samples");
        JsonNode j = lastJson(CliRun.of("sample", "--model", model.toString(), "--spec", spec.toString(),
                "--labels", "1,0,1,-1", "--steps", "2", "--solver", "dpm-solver++", "--output", out.toString(),
                "--json"));
        assertEquals(4, j.get("images").asInt());
        var arrays = NamedArrays.read(out.resolve("samples.bin"));
        INDArray s = arrays.get("samples");
        assertArrayEquals(new long[] {4, 1, 8, 8}, s.shape());
        assertArrayEquals(new int[] {1, 0, 1, -1}, arrays.get("labels").toIntVector());
        assertTrue(s.maxNumber().doubleValue() <= 1 && s.minNumber().doubleValue() >= -1);
        assertTrue(Files.size(out.resolve("samples.png")) > 0);
        assertTrue(Files.readString(out.resolve("sampler.json")).contains("DPM_SOLVER_PP_2M"));

        Path u = dir.resolve("u-samples");
        JsonNode ju = lastJson(CliRun.of("sample", "--model", uncond.toString(), "--spec", uncondSpec.toString(),
                "--count", "3", "--steps", "2", "--output", u.toString(), "--json"));
        assertEquals(3, ju.get("images").asInt());
        assertEquals(3, NamedArrays.read(u.resolve("samples.bin")).get("samples").size(0));
        assertTrue(Arrays.stream(NamedArrays.read(u.resolve("samples.bin")).get("labels").toIntVector())
                .allMatch(l -> l == -1));

        CliRun bad = CliRun.of("sample", "--model", model.toString(), "--spec", spec.toString(), "--labels", "5",
                "--output", dir.resolve("none").toString());
        assertOneLineBadInput(bad, "--labels 5");
        assertFalse(Files.exists(dir.resolve("none")));
    }
}
