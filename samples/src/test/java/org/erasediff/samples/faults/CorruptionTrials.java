package org.erasediff.samples.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.erasediff.dl4j.checkpoint.CheckpointStore;
import org.erasediff.dl4j.sweep.SweepPlan;
import org.erasediff.dl4j.sweep.SweepResults;

/**
 * Every input kind corrupted (truncated, bit-flipped, empty, another format, the wrong shape):
 * each must be rejected before any work — exit 2, one error line naming the file, nothing on
 * standard output, no output folder or model written.
 */
final class CorruptionTrials {

    /**
     * One corrupted input.
     *
     * @param row     the table row (the input kind)
     * @param name    the corruption
     * @param prepare writes the corrupted copy into a trial folder and returns the command
     */
    record Case(String row, String name, Prepare prepare) {
    }

    /** Writes a corrupted copy into a trial folder and returns the command that reads it. */
    @FunctionalInterface
    interface Prepare {
        Command in(Path dir) throws Exception;
    }

    /**
     * A command reading a corrupted file.
     *
     * @param args   the command line
     * @param file   the corrupted file (its name must be in the error)
     * @param output what the command would write; it must not appear
     */
    record Command(Args args, Path file, Path output) {
    }

    private final Harness h;

    CorruptionTrials(Harness h) {
        this.h = h;
    }

    /**
     * Every case. {@code trainCheckpoints}, {@code unlearnRun} and {@code sweep} are a finished train's checkpoint
     * folder, a finished unlearn run folder and a finished {@link Args#sweep} folder (copied, then damaged).
     */
    static List<Case> cases(FaultInputs in, Path trainCheckpoints, Path unlearnRun, Path sweep) throws IOException {
        List<Case> c = new ArrayList<>();
        Path png = in.images.resolve("circles/c0.png");
        // idx files
        c.add(idx(in, "idx images truncated", d -> Corruptions.truncated(in.idxImages, d.resolve("images.idx")), true));
        c.add(idx(in, "idx images bit-flipped (count)", d -> Corruptions.bitFlipped(in.idxImages,
                d.resolve("images.idx"), 7, 4), true));
        c.add(idx(in, "idx images empty", d -> Corruptions.empty(d.resolve("images.idx")), true));
        c.add(idx(in, "idx images a PNG", d -> Corruptions.otherFormat(png, d.resolve("images.idx")), true));
        c.add(idx(in, "idx images 12x12 for an 8x8 model", d -> Files.write(d.resolve("images.idx"),
                FaultInputs.idxImages(6, 12)), true));
        c.add(idx(in, "idx labels truncated", d -> Corruptions.truncated(in.idxLabels, d.resolve("labels.idx")), false));
        c.add(idx(in, "idx labels of 5 images for 6", d -> Files.write(d.resolve("labels.idx"),
                FaultInputs.idxLabels(5)), false));
        // image folders
        c.add(folder(in, "an undecodable PNG", d -> Corruptions.text(d.resolve("images/circles/c9.png"),
                "not an image, though its name ends in .png")));
        c.add(folder(in, "a truncated PNG", d -> Corruptions.truncated(png, d.resolve("images/circles/c9.png"))));
        c.add(folder(in, "an empty class folder", d -> Files.createDirectories(d.resolve("images/triangles"))));
        // model files
        c.add(model(in, "truncated", d -> Corruptions.truncated(in.model, d.resolve("model.fb"))));
        c.add(model(in, "empty", d -> Corruptions.empty(d.resolve("model.fb"))));
        c.add(model(in, "a PNG", d -> Corruptions.otherFormat(png, d.resolve("model.fb"))));
        c.add(model(in, "bit-flipped (header)", d -> Corruptions.bitFlipped(in.model, d.resolve("model.fb"), 0, 3)));
        c.add(model(in, "another graph (the judge)", d -> Corruptions.otherFormat(in.judge, d.resolve("model.fb"))));
        c.add(carded(unlearnRun, "model with card: one weight bit-flipped", d -> Corruptions.bitFlipped(
                unlearnRun.resolve("model.fb"), d.resolve("model.fb"), (int) Files.size(unlearnRun.resolve("model.fb"))
                        / 2, 6), false));
        c.add(carded(unlearnRun, "model with card: card truncated", d -> Corruptions.truncated(
                unlearnRun.resolve("model.fb.json"), d.resolve("model.fb.json")), true));
        c.add(new Case("model files", "judge truncated", d -> {
            Path judge = Corruptions.truncated(in.judge, d.resolve("judge.fb"));
            return new Command(Args.unlearn(in, d.resolve("run")).withEval(in, d.resolve("cache"))
                    .with("--judge", judge).without("--resume"), judge, d.resolve("run"));
        }));
        // spec and config JSON
        c.add(spec(in, "spec truncated", d -> Corruptions.truncated(in.spec, d.resolve("spec.json"))));
        c.add(spec(in, "spec empty", d -> Corruptions.empty(d.resolve("spec.json"))));
        c.add(spec(in, "spec not JSON", d -> Corruptions.text(d.resolve("spec.json"), "imageInput = noisy\n")));
        c.add(spec(in, "spec of another shape (numTimesteps 10)", d -> Corruptions.text(d.resolve("spec.json"),
                Files.readString(in.spec).replace("1000", "10"))));
        c.add(config(in, "config truncated", d -> Corruptions.truncated(in.referenceConfig, d.resolve("config.json"))));
        c.add(config(in, "config empty", d -> Corruptions.empty(d.resolve("config.json"))));
        c.add(config(in, "config a field of the wrong type", d -> Corruptions.text(d.resolve("config.json"),
                "{\"outerSteps\": \"many\"}")));
        c.add(config(in, "config a misspelt field", d -> Corruptions.text(d.resolve("config.json"),
                "{\"outerStep\": 5}")));
        c.add(config(in, "config YAML that is not YAML", d -> Corruptions.text(d.resolve("config.yaml"),
                "mode: [REFERENCE_COMPATIBLE\n")));
        // checkpoints: unlearn --resume reads its run folder's, train its checkpoint folder's
        c.add(new Case("checkpoints", "unlearn --resume: state.bin bit-flipped", d -> {
            Path run = Corruptions.copyTree(unlearnRun, d.resolve("run"));
            Files.delete(run.resolve("model.fb"));
            Files.delete(run.resolve("model.fb.json"));
            Path state = new CheckpointStore(run.resolve("checkpoints"), 2).latest().orElseThrow().dir()
                    .resolve(CheckpointStore.STATE);
            Corruptions.bitFlipped(state, state, (int) Files.size(state) / 2, 2);
            return new Command(Args.unlearn(in, run), state, run.resolve("model.fb"));
        }));
        for (String f : List.of(CheckpointStore.STATE, CheckpointStore.JSON)) {
            c.add(trainCheckpoint(in, trainCheckpoints, f + " truncated", f, (src, dst) -> Corruptions.truncated(src,
                    dst)));
            c.add(trainCheckpoint(in, trainCheckpoints, f + " empty", f, (src, dst) -> Corruptions.empty(dst)));
        }
        c.add(trainCheckpoint(in, trainCheckpoints, "state.bin bit-flipped", CheckpointStore.STATE,
                (src, dst) -> Corruptions.bitFlipped(src, dst, (int) Files.size(src) / 2, 1)));
        sweepResults(c, in, sweep);
        return c;
    }

    /**
     * A finished sweep's results damaged as no kill leaves them (a kill leaves both files whole, or the records one
     * candidate ahead of the table, and is resumed): the same sweep with a larger budget must refuse them before
     * any candidate runs.
     */
    private static void sweepResults(List<Case> c, FaultInputs in, Path sweep) throws IOException {
        Path jsonl = sweep.resolve(SweepResults.JSONL);
        Path csv = sweep.resolve(SweepResults.CSV);
        String text = Files.readString(jsonl);
        String first = text.lines().findFirst().orElseThrow();
        int score = text.indexOf("\"objective\":") + "\"objective\":".length();
        long records = text.lines().count();
        c.add(sweepCase(in, "results.jsonl truncated", csv, d -> Corruptions.truncated(jsonl, d)));
        c.add(sweepCase(in, "results.jsonl a bit flipped (a score)", csv, d -> Corruptions.bitFlipped(jsonl, d,
                score, 0)));
        c.add(sweepCase(in, "results.jsonl a garbage line", csv, d -> Corruptions.text(d, first + "\n\u0000 garbage\n"
                + text.substring(first.length() + 1))));
        c.add(sweepCase(in, "results.jsonl a line of another sweep", csv, d -> Corruptions.text(d, text
                + first.replace("\"index\":0,", "\"index\":" + records + ",") + "\n")));
        c.add(sweepCase(in, "results.jsonl empty beside its CSV", csv, Corruptions::empty));
        c.add(new Case("sweep results", "results.csv without its results.jsonl", d -> {
            Path copy = d.resolve("sweep");
            Path bad = Files.copy(csv, Files.createDirectories(copy).resolve(SweepResults.CSV));
            return new Command(Args.sweep(in, copy, 4), bad, copy.resolve(SweepPlan.DESCRIPTION));
        }));
    }

    /** The sweep's CSV copied beside a damaged results.jsonl (written by {@code damage} to the path given). */
    private static Case sweepCase(FaultInputs in, String name, Path csv, FileWriter damage) {
        return new Case("sweep results", name, d -> {
            Path copy = Files.createDirectories(d.resolve("sweep"));
            Files.copy(csv, copy.resolve(SweepResults.CSV));
            Path bad = damage.write(copy.resolve(SweepResults.JSONL));
            return new Command(Args.sweep(in, copy, 4), bad, copy.resolve(SweepPlan.DESCRIPTION));
        });
    }

    /** Runs every case. */
    void run(List<Case> cases) throws Exception {
        for (Case c : cases) {
            Path dir = h.folder("corrupt");
            Files.createDirectories(dir);
            Command cmd = c.prepare().in(dir);
            // the trial folder holds the corrupted copies: hashed like the inputs; the output must not appear
            h.guarded(c.row(), c.name(), "corrupt_inputs", "rejected_cleanly", cmd.output(), List.of(dir),
                    () -> check(cmd, h.cli.run(cmd.args().list())));
        }
    }

    private static String check(Command c, CliProcess.Outcome o) {
        if (o.code() != 2) {
            return "exit " + o.code() + " instead of 2: " + o.errorLines();
        }
        if (o.errorLines().size() != 1) {
            return "not one error line: " + o.errorLines();
        }
        String line = o.errorLines().get(0);
        if (!line.contains(c.file().getFileName().toString())) {
            return "the error does not name " + c.file().getFileName() + ": " + line;
        }
        if (!o.out().isEmpty()) {
            return "standard output is not empty: " + o.out();
        }
        if (Files.exists(c.output())) {
            return c.output() + " was written";
        }
        return null;
    }

    private static Case idx(FaultInputs in, String name, FileWriter w, boolean images) {
        return new Case("idx files", name, d -> {
            Path bad = w.write(d);
            Path run = d.resolve("run");
            Args a = Args.unlearn(in, run).without("--data").without("--resume").with("--forget-class", "1")
                    .with("--data-images", images ? bad : in.idxImages).with("--data-labels", images ? in.idxLabels : bad);
            return new Command(a, bad, run);
        });
    }

    private static Case folder(FaultInputs in, String name, FileWriter w) {
        return new Case("image folders", name, d -> {
            Path images = Corruptions.copyTree(in.images, d.resolve("images"));
            Path bad = w.write(d);
            Path run = d.resolve("run");
            return new Command(Args.unlearn(in, run).with("--data", images).without("--resume"), bad, run);
        });
    }

    private static Case model(FaultInputs in, String name, FileWriter w) {
        return new Case("model files", "user graph " + name, d -> {
            Path bad = w.write(d);
            Path run = d.resolve("run");
            return new Command(Args.unlearn(in, run).with("--model", bad).without("--resume"), bad, run);
        });
    }

    /** A CLI-written model with its card (no --spec): one of the two damaged, the other copied. */
    private static Case carded(Path unlearnRun, String name, FileWriter w, boolean cardDamaged) {
        return new Case("model files", name, d -> {
            Path model = d.resolve("model.fb");
            Path bad = w.write(d);
            Files.copy(unlearnRun.resolve(cardDamaged ? "model.fb" : "model.fb.json"),
                    d.resolve(cardDamaged ? "model.fb" : "model.fb.json"));
            Path out = d.resolve("samples");
            return new Command(Args.sample(model, out), bad, out);
        });
    }

    private static Case spec(FaultInputs in, String name, FileWriter w) {
        return new Case("spec/config JSON", name, d -> {
            Path bad = w.write(d);
            Path run = d.resolve("run");
            return new Command(Args.unlearn(in, run).with("--spec", bad).without("--resume"), bad, run);
        });
    }

    private static Case config(FaultInputs in, String name, FileWriter w) {
        return new Case("spec/config JSON", name, d -> {
            Path bad = w.write(d);
            Path run = d.resolve("run");
            return new Command(Args.unlearn(in, run).with("--config", bad).without("--resume"), bad, run);
        });
    }

    /** Damages {@code file} of the newest checkpoint in a copy of a train's checkpoint folder. */
    private static Case trainCheckpoint(FaultInputs in, Path checkpoints, String name, String file, Damage damage) {
        return new Case("checkpoints", "train: " + name, d -> {
            Path copy = Corruptions.copyTree(checkpoints, d.resolve("ck"));
            Path target = new CheckpointStore(copy, 2).latest().orElseThrow().dir().resolve(file);
            Path original = Files.move(target, d.resolve("original-" + file));
            damage.apply(original, target);
            Path model = d.resolve("unet.fb");
            return new Command(Args.train(in, model).with("--steps", "3").with("--checkpoints", copy), target, model);
        });
    }

    /** Writes a corrupted file into a trial folder (or to the path given) and returns it. */
    @FunctionalInterface
    interface FileWriter {
        Path write(Path dir) throws Exception;
    }

    /** Writes a damaged version of {@code source} to {@code target}. */
    @FunctionalInterface
    interface Damage {
        Path apply(Path source, Path target) throws Exception;
    }
}
