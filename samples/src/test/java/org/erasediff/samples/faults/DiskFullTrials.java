package org.erasediff.samples.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.erasediff.dl4j.checkpoint.CheckpointStore;
import org.erasediff.dl4j.checkpoint.GraphFiles;
import org.erasediff.dl4j.checkpoint.NamedArrays;

/**
 * No space left: a file-size limit ({@code ulimit -f}) that lets the first checkpoint through and
 * stops a later write. The command must fail with one clear error line (exit 1), the previous
 * checkpoint must still load, no file may be half-written, the inputs untouched; unlearn is then
 * resumed without the limit and must end bit-identical to an uninterrupted run.
 */
final class DiskFullTrials {

    private static final String ROW = "no space left (ulimit -f)";

    private final Harness h;

    DiskFullTrials(Harness h) {
        this.h = h;
    }

    /**
     * Runs the trials.
     *
     * @param unlearnReference an uninterrupted run folder of {@link Args#unlearn} (120 steps)
     * @param trainCheckpoints the checkpoint folder of a finished 3-step {@link Args#train} run, or {@code null}
     *                         to skip the train trial
     */
    void run(Path unlearnReference, Path trainCheckpoints) throws Exception {
        // the checkpoint's history grows with the steps: a limit between its size at step 50 and the metrics
        // history's at step 75 lets checkpoint 50 through and stops the history written at step 75
        long state120 = Files.size(unlearnReference.resolve("checkpoints/step-00000120/state.json"));
        long metrics120 = Files.size(unlearnReference.resolve("history/metrics.json"));
        long limitKb = (state120 * 50 / 120 + metrics120 * 75 / 120) / 2 / 1024;
        Path dir = h.folder("disk-full");
        Path run = dir.resolve("run");
        Args unlearn = Args.unlearn(h.inputs, run);
        h.guarded(ROW, "unlearn, then --resume", "disk_full_trials", "disk_full_clean", dir, List.of(), () -> {
            String problem = clearFailure(h.cli.run(unlearn.list(), null, -1, limitKb), run, 50);
            if (problem != null) {
                return problem;
            }
            CliProcess.Outcome again = h.cli.run(unlearn.list());
            if (again.code() != 0) {
                return "--resume without the limit failed: " + again.errorLines();
            }
            String diff = Weights.difference(unlearnReference.resolve("model.fb"), run.resolve("model.fb"));
            return diff == null ? null : "resumed run not bit-identical: " + diff;
        });

        if (trainCheckpoints == null) {
            return;
        }
        // train: a second sitting (6 steps) resumes from step 3 and cannot write the step-6 checkpoint's state
        Path tdir = h.folder("disk-full-train");
        Path ck = Corruptions.copyTree(trainCheckpoints, tdir.resolve("ck"));
        long stateKb = Files.size(ck.resolve("step-00000003").resolve(CheckpointStore.STATE)) / 1024;
        Args train = Args.train(h.inputs, tdir.resolve("unet.fb")).with("--steps", "6").with("--checkpoints", ck);
        h.guarded(ROW, "train, second sitting", "disk_full_trials", "disk_full_clean", tdir, List.of(),
                () -> clearFailure(h.cli.run(train.list(), null, -1, stateKb / 2), ck, 3));
    }

    /** Why the limited run did not fail cleanly with checkpoint {@code step} intact, or {@code null}. */
    private static String clearFailure(CliProcess.Outcome o, Path folder, long step) throws Exception {
        List<String> errors = o.errorLines();
        if (o.code() != 1 || errors.size() != 1) {
            return "not one error line with exit 1: exit " + o.code() + ", " + errors;
        }
        String line = errors.get(0).toLowerCase(Locale.ROOT);
        if (!(line.contains("too large") || line.contains("space")) || !line.contains(folder.toString()
                .toLowerCase(Locale.ROOT))) {
            return "the error does not say which file could not be written and why: " + errors.get(0);
        }
        Path checkpoints = Files.isDirectory(folder.resolve("checkpoints")) ? folder.resolve("checkpoints") : folder;
        Optional<CheckpointStore.Checkpoint> latest = new CheckpointStore(checkpoints, 2).latest();
        if (latest.isEmpty() || latest.get().step() != step) {
            return "the newest checkpoint is " + latest.map(CheckpointStore.Checkpoint::step).orElse(-1L)
                    + ", not the previous one (" + step + ")";
        }
        NamedArrays.read(latest.get().dir().resolve(CheckpointStore.STATE));
        GraphFiles.load(latest.get().dir().resolve(CheckpointStore.MODEL), false);
        return null;
    }
}
