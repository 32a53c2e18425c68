package org.erasediff.samples.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * NaN and Inf injected through what a user controls: the learning rate (refused when the settings
 * are validated: exit 2, nothing written), a weight of the model and the batches of one class (the
 * loop rolls each non-finite step back and retries it with a smaller step, then aborts after the
 * NaN policy's retries: exit 1, one line reporting every attempt, no model written, whatever was
 * written finite). The images themselves are bytes and cannot hold a NaN; a NaN batch is one the model
 * turns into NaN (a graph taking the log of {@code t − 500}).
 */
final class NanTrials {

    /** Attempts the default NaN policy makes (the first and 3 retries). */
    private static final String ATTEMPTS = "after 4 attempts";

    /**
     * One injection.
     *
     * @param name    what is injected
     * @param refused whether validation must refuse it (else: rollback, retries, abort)
     * @param command the command line in a trial folder
     */
    record Case(String name, boolean refused, Prepare command) {
    }

    /** Writes what the case needs into {@code in} and returns the command line writing into {@code out}. */
    @FunctionalInterface
    interface Prepare {
        Args in(Path in, Path out) throws Exception;
    }

    private final Harness h;

    NanTrials(Harness h) {
        this.h = h;
    }

    /** Every injection on the tiny inputs. */
    static List<Case> cases(FaultInputs in) {
        List<Case> c = new ArrayList<>();
        c.add(new Case("learning rate NaN in a YAML config", true, (d, o) -> Args.unlearn(in, o)
                .with("--config", Corruptions.text(d.resolve("nan-lr.yaml"), "updater: {type: ADAM, learningRate: .nan}\n"))));
        c.add(new Case("unlearn --lr NaN", true, (d, o) -> Args.unlearn(in, o).with("--lr", "NaN")));
        c.add(new Case("train --lr Infinity", true, (d, o) -> Args.train(in, o.resolve("unet.fb")).with("--lr",
                "Infinity")));
        c.add(new Case("unlearn --lr 1e39 (infinite in float)", true, (d, o) -> Args.unlearn(in, o).with("--lr",
                "1e39")));
        c.add(new Case("a NaN weight in the model", false, (d, o) -> Args.unlearn(in, o)
                .with("--model", in.modelWith(d.resolve("nan.fb"), "w", Float.NaN))));
        c.add(new Case("an Inf weight in the model", false, (d, o) -> Args.unlearn(in, o)
                .with("--model", in.modelWith(d.resolve("inf.fb"), "b", Float.POSITIVE_INFINITY))));
        c.add(new Case("NaN in the batches holding a timestep below 500", false, (d, o) -> Args.unlearn(in, o)
                .with("--model", FaultInputs.unstableModel(d.resolve("unstable.fb")))
                .with("--spec", Corruptions.text(d.resolve("unstable.json"), FaultInputs.UNSTABLE_SPEC))));
        c.add(new Case("a learning rate that overflows the weights (1e30)", false, (d, o) -> Args.unlearn(in, o)
                .with("--lr", "1e30")));
        return c;
    }

    /** Runs every case. */
    void run(List<Case> cases) throws Exception {
        for (Case c : cases) {
            Path dir = h.folder("nan");
            Path in = Files.createDirectories(dir.resolve("in"));
            Path out = dir.resolve("out");
            Args a = c.command().in(in, out);
            h.guarded("NaN/Inf: " + (c.refused() ? "refused at validation" : "rollback, retries, clean abort"),
                    c.name(), "nan_injections", "recovered", out, List.of(in), () -> check(c, h.cli.run(a.list()), out));
        }
    }

    private static String check(Case c, CliProcess.Outcome o, Path out) throws Exception {
        List<String> errors = o.errorLines();
        if (errors.size() != 1 || !o.out().isEmpty()) {
            return "not exactly one error line and an empty standard output: exit " + o.code() + ", " + errors;
        }
        if (c.refused()) {
            if (o.code() != 2 || Files.exists(out)) {
                return "not refused before any work: exit " + o.code() + ", " + errors;
            }
            return null;
        }
        if (o.code() != 1 || !errors.get(0).contains("diverged") || !errors.get(0).contains(ATTEMPTS)) {
            return "not a clean abort after the NaN policy's retries: exit " + o.code() + ", " + errors;
        }
        if (Files.exists(out.resolve("model.fb"))) {
            return "a model was written although the run aborted";
        }
        try (Stream<Path> s = Files.exists(out) ? Files.walk(out) : Stream.empty()) {
            for (Path p : s.filter(p -> p.toString().endsWith(".fb")).toList()) {
                if (!Weights.finite(p)) {
                    return p + " holds NaN/Inf";
                }
            }
        }
        return null;
    }
}
