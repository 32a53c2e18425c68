package org.erasediff.samples.faults;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.commons.io.FileUtils;
import org.erasediff.dl4j.checkpoint.CheckpointStore;

/**
 * {@code kill -9} at a seeded random moment of a command, then the same command again: it must
 * finish, its final weights bit-identical to those of an uninterrupted run, and no output file
 * may ever exist half-written under its final name (the tree is scanned after the kill and after
 * the rerun).
 *
 * <p>A scenario is a command line for an output location, where its final model lands, and where
 * its checkpoints are; adding a command (e.g. {@code sweep}) is one more {@link Scenario}.
 */
final class KillTrials {

    /**
     * A command under test.
     *
     * @param name        its table row
     * @param command     the command line writing into a trial folder
     * @param model       the final model file in a trial folder
     * @param checkpoints the checkpoint folder in a trial folder (for the notes: where kills landed)
     * @param started     the path in a trial folder whose appearance marks the start of the work (inputs
     *                    validated, outputs begun); kills land after it
     */
    record Scenario(String name, Function<Path, List<String>> command, Function<Path, Path> model,
                    Function<Path, Path> checkpoints, Function<Path, Path> started) {
    }

    /** Attempts at drawing a moment before the command ends on its own. */
    private static final int DRAWS = 4;

    private final Harness h;

    KillTrials(Harness h) {
        this.h = h;
    }

    /** The scenarios on the tiny inputs: train, unlearn faithful with evaluation, unlearn REFERENCE_COMPATIBLE. */
    static List<Scenario> scenarios(FaultInputs in) {
        // train's work shows when its first checkpoint (step 3) is written, unlearn's when its run folder appears
        return List.of(
                new Scenario("kill -9 during train, rerun", d -> Args.train(in, d.resolve("unet.fb")).list(),
                        d -> d.resolve("unet.fb"), d -> d.resolve("unet.fb.checkpoints"),
                        d -> d.resolve("unet.fb.checkpoints")),
                new Scenario("kill -9 during unlearn (faithful, with eval), rerun",
                        d -> Args.unlearn(in, d.resolve("run")).withEval(in, d.resolve("cache")).list(),
                        d -> d.resolve("run/model.fb"), d -> d.resolve("run/checkpoints"), d -> d.resolve("run")),
                new Scenario("kill -9 during unlearn (REFERENCE_COMPATIBLE), rerun",
                        d -> Args.unlearn(in, d.resolve("run")).with("--config", in.referenceConfig).list(),
                        d -> d.resolve("run/model.fb"), d -> d.resolve("run/checkpoints"), d -> d.resolve("run")));
    }

    /** Runs {@code trials} kill trials spread evenly over the scenarios (the first ones get the remainder). */
    void run(List<Scenario> scenarios, int trials) throws Exception {
        for (int s = 0; s < scenarios.size(); s++) {
            Scenario sc = scenarios.get(s);
            int n = trials / scenarios.size() + (s < trials % scenarios.size() ? 1 : 0);
            if (n == 0) {
                continue;
            }
            Path ref = h.folder("reference");
            CliProcess.Outcome r = h.cli.run(sc.command().apply(ref), sc.started().apply(ref), -1, 0);
            if (r.code() != 0 || Double.isNaN(r.started())) {
                throw new IllegalStateException("uninterrupted " + sc.name() + " failed: " + r.err());
            }
            List<Long> landed = new ArrayList<>();
            double[] work = {r.seconds() - r.started()};
            for (int i = 0; i < n; i++) {
                Path dir = h.folder("kill");
                h.guarded(sc.name(), "trial " + i, "kill_trials", "resumed_exact", dir, List.of(),
                        () -> trial(sc, dir, sc.model().apply(ref), work, landed));
            }
            h.tally.note(sc.name(), String.format("uninterrupted %.1f s, %.1f s of it after its outputs began; "
                    + "the reruns resumed from step %s", r.seconds(), r.seconds() - r.started(), landed)
                    .replace("-1", "0 (no checkpoint yet)"));
        }
    }

    /**
     * One trial: SIGKILL at a uniformly drawn moment of the work phase (from the appearance of the outputs to
     * the end, as long as the last run's took; drawn again over the shorter phase when the command ended first),
     * then the same command again.
     */
    private String trial(Scenario sc, Path dir, Path reference, double[] work, List<Long> landed) throws Exception {
        CliProcess.Outcome killed = null;
        for (int draw = 0; draw < DRAWS && (killed == null || !killed.killed()); draw++) {
            if (killed != null) {
                FileUtils.deleteDirectory(dir.toFile());
                if (!Double.isNaN(killed.started())) {
                    work[0] = Math.min(work[0], killed.seconds() - killed.started());
                }
            }
            long at = (long) (1000 * work[0] * h.random.nextDouble());
            killed = h.cli.run(sc.command().apply(dir), sc.started().apply(dir), at, 0);
        }
        if (!killed.killed()) {
            return "the command always ended before the kill";
        }
        String half = h.audit(dir);
        landed.add(new CheckpointStore(sc.checkpoints().apply(dir), 2).latest().map(CheckpointStore.Checkpoint::step)
                .orElse(-1L));
        CliProcess.Outcome again = h.cli.run(sc.command().apply(dir));
        if (again.code() != 0) {
            return "the rerun failed (" + again.code() + "): " + again.errorLines();
        }
        if (half != null) {
            return half;
        }
        String diff = Weights.difference(reference, sc.model().apply(dir));
        return diff == null ? null : "not bit-identical to the uninterrupted run: " + diff;
    }
}
