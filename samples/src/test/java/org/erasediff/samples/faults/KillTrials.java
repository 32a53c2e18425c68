package org.erasediff.samples.faults;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.commons.io.FileUtils;
import org.erasediff.dl4j.checkpoint.CheckpointStore;
import org.erasediff.dl4j.sweep.SweepResults;

/**
 * {@code kill -9} at a seeded random moment of a command, then the same command again: it must
 * finish with the results of an uninterrupted run (final weights bit-identical; for {@code compare}
 * and {@code sweep} also the same figures, finished work not redone), and no output file may ever
 * exist half-written under its final name (the tree is scanned after the kill and after the rerun).
 *
 * <p>A scenario is a command line for an output location, how its results are compared with an
 * uninterrupted run's, what the kill left for the rerun (for the notes) and when its work begins.
 */
final class KillTrials {

    /**
     * A command under test.
     *
     * @param name    its table row
     * @param command the command line writing into a trial folder
     * @param results how a rerun's results are compared with the uninterrupted run's
     * @param landed  what a trial folder holds right after the kill (for the notes: where kills landed)
     * @param label   the notes' words before the list of {@code landed}
     * @param started the path in a trial folder whose appearance marks the start of the work (inputs
     *                validated, outputs begun); kills land after it
     */
    record Scenario(String name, Function<Path, List<String>> command, ResultCheck results,
                    Landed landed, String label, Function<Path, Path> started) {
    }

    /** What a trial folder holds right after the kill, in a few words. */
    @FunctionalInterface
    interface Landed {
        String in(Path dir) throws IOException;
    }

    /** Attempts at drawing a moment before the command ends on its own. */
    private static final int DRAWS = 4;

    private final Harness h;

    KillTrials(Harness h) {
        this.h = h;
    }

    /**
     * The scenarios on the tiny inputs: train, unlearn faithful with evaluation, unlearn REFERENCE_COMPATIBLE,
     * compare (every method, or EraseDiff alone when {@code reduced}) and sweep (3 candidates, or 2).
     */
    static List<Scenario> scenarios(FaultInputs in, boolean reduced) {
        // train's work shows when its first checkpoint (step 3) is written, unlearn's and compare's when their
        // output folder appears (after their inputs are checked), sweep's when its first candidate is stored (so
        // that every kill finds finished candidates that the rerun must keep)
        String methods = reduced ? "erasediff" : "erasediff,erasediff_reference,finetune,neggrad,blindspot,sa,salun,esd";
        return List.of(
                new Scenario("kill -9 during train, rerun", d -> Args.train(in, d.resolve("unet.fb")).list(),
                        ResultCheck.model("unet.fb"), d -> step(d.resolve("unet.fb.checkpoints")),
                        "the reruns resumed from step", d -> d.resolve("unet.fb.checkpoints")),
                new Scenario("kill -9 during unlearn (faithful, with eval), rerun",
                        d -> Args.unlearn(in, d.resolve("run")).withEval(in, d.resolve("cache")).list(),
                        ResultCheck.model("run/model.fb"), d -> step(d.resolve("run/checkpoints")),
                        "the reruns resumed from step", d -> d.resolve("run")),
                new Scenario("kill -9 during unlearn (REFERENCE_COMPATIBLE), rerun",
                        d -> Args.unlearn(in, d.resolve("run")).with("--config", in.referenceConfig).list(),
                        ResultCheck.model("run/model.fb"), d -> step(d.resolve("run/checkpoints")),
                        "the reruns resumed from step", d -> d.resolve("run")),
                new Scenario("kill -9 during compare (" + (reduced ? "EraseDiff" : "8 methods") + ", 60 steps each), rerun",
                        d -> Args.compare(in, d.resolve("compare"), methods).list(), ResultCheck.compare("compare"),
                        d -> ResultCheck.compareProgress(d.resolve("compare")), "the reruns found methods",
                        d -> d.resolve("compare")),
                new Scenario("kill -9 during sweep (" + (reduced ? 2 : 3) + " candidates of 60 steps), rerun",
                        d -> Args.sweep(in, d.resolve("sweep"), reduced ? 2 : 3).list(), ResultCheck.sweep("sweep"),
                        d -> ResultCheck.sweepProgress(d.resolve("sweep")), "the reruns found finished candidates",
                        d -> d.resolve("sweep/" + SweepResults.JSONL)));
    }

    /** The newest checkpoint's step, or "0 (no checkpoint yet)". */
    static String step(Path checkpoints) throws IOException {
        return new CheckpointStore(checkpoints, 2).latest().map(c -> String.valueOf(c.step()))
                .orElse("0 (no checkpoint yet)");
    }

    /**
     * Runs {@code trials} kill trials spread evenly over the scenarios (the first ones get the remainder).
     *
     * @return the uninterrupted runs' folders, by scenario name (scenarios without trials have none)
     */
    java.util.Map<String, Path> run(List<Scenario> scenarios, int trials) throws Exception {
        java.util.Map<String, Path> references = new java.util.LinkedHashMap<>();
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
            references.put(sc.name(), ref);
            h.tally.addSeconds(sc.name(), r.seconds());
            List<String> landed = new ArrayList<>();
            double[] work = {r.seconds() - r.started()};
            ResultCheck.Run reference = new ResultCheck.Run(ref, r.out());
            for (int i = 0; i < n; i++) {
                Path dir = h.folder("kill");
                h.guarded(sc.name(), "trial " + i, "kill_trials", "resumed_exact", dir, List.of(),
                        () -> trial(sc, dir, reference, work, landed));
            }
            h.tally.note(sc.name(), String.format("uninterrupted %.1f s, %.1f s of it after its outputs began; %s %s",
                    r.seconds(), r.seconds() - r.started(), sc.label(), landed));
        }
        return references;
    }

    /**
     * One trial: SIGKILL at a uniformly drawn moment of the work phase (from the appearance of the outputs to
     * the end, as long as the last run's took; drawn again over the shorter phase when the command ended first),
     * then the same command again.
     */
    private String trial(Scenario sc, Path dir, ResultCheck.Run reference, double[] work, List<String> landed)
            throws Exception {
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
        landed.add(sc.landed().in(dir));
        Object atKill = sc.results().atKill(dir);
        CliProcess.Outcome again = h.cli.run(sc.command().apply(dir));
        if (again.code() != 0) {
            return "the rerun failed (" + again.code() + "): " + again.errorLines();
        }
        if (half != null) {
            return half;
        }
        String diff = sc.results().difference(reference, new ResultCheck.Run(dir, again.out()), atKill);
        return diff == null ? null : "not the uninterrupted run's results: " + diff;
    }
}
