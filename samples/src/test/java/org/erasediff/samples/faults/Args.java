package org.erasediff.samples.faults;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CLI command line as flags with values (a flag without value maps to {@code ""}), so a trial
 * can replace or drop one flag of a base command.
 */
final class Args {

    private final String command;
    private final Map<String, String> flags = new LinkedHashMap<>();

    private Args(String command) {
        this.command = command;
    }

    /** A command with no flags yet (e.g. {@code Args.of("sweep").with("--trials", "2")}). */
    static Args of(String command) {
        return new Args(command);
    }

    /** The base command line of {@code train} on the tiny inputs: a 2-level UNet at 8×8, 12 steps, checkpoints every 3. */
    static Args train(FaultInputs in, Path model) {
        return of("train").with("--data", in.images).with("--image-size", "8").with("--channels", "1")
                .with("--widths", "8,16").with("--no-attention", "").with("--steps", "12").with("--batch", "2")
                .with("--warmup", "1").with("--checkpoint-every", "3").with("--output", model).with("--json", "");
    }

    /**
     * The base command line of {@code unlearn} on the tiny inputs: forget class "squares" of the user model,
     * 120 steps (checkpoints at 50, 100, 120), no evaluation, into {@code run}, resuming it if it exists.
     */
    static Args unlearn(FaultInputs in, Path run) {
        return user(of("unlearn"), in).with("--steps", "120").with("--no-eval", "").with("--output", run)
                .with("--resume", "").with("--json", "");
    }

    /**
     * The base command line of {@code compare} on the tiny inputs: {@code methods} forget class "squares" of the
     * user model in 60 steps each (checkpoints at 50 and 60), with the tiny evaluation, into {@code out}.
     */
    static Args compare(FaultInputs in, Path out, String methods) {
        return user(of("compare"), in).with("--methods", methods).with("--steps", "60").with("--out", out)
                .with("--json", "").withEval(in, out.resolveSibling("cache"));
    }

    /**
     * The base command line of {@code sweep} on the tiny inputs: {@code candidates} random EraseDiff candidates of
     * 60 steps forgetting class "squares" of the user model, scored by the user's judge, into {@code out}.
     */
    static Args sweep(FaultInputs in, Path out, int candidates) {
        return user(of("sweep"), in).with("--candidates", candidates).with("--steps", "60").with("--output", out)
                .with("--json", "").withEval(in, out.resolveSibling("cache"));
    }

    /** The user model, its spec, the image folder, class "squares" forgotten, batches of 2. */
    private static Args user(Args a, FaultInputs in) {
        return a.with("--model", in.model).with("--spec", in.spec).with("--data", in.images)
                .with("--forget-class", "squares").with("--remain-batch", "2").with("--forget-batch", "2");
    }

    /** {@code sample}: one image per class in one sampler step from a model with its card. */
    static Args sample(Path model, Path out) {
        return of("sample").with("--model", model).with("--per-class", "1").with("--steps", "1")
                .with("--output", out).with("--json", "");
    }

    /** The tiny evaluation with the user's judge instead of {@code --no-eval}. */
    Args withEval(FaultInputs in, Path cache) {
        return without("--no-eval").with("--judge", in.judge).with("--judge-input", "pix")
                .with("--judge-probs", "probs").with("--judge-features", "feats").with("--eval-steps", "2")
                .with("--eval-per-class", "4").with("--eval-forget", "4").with("--cache", cache);
    }

    /** Sets (or replaces) a flag. */
    Args with(String flag, Object value) {
        flags.put(flag, value.toString());
        return this;
    }

    /** Drops a flag. */
    Args without(String flag) {
        flags.remove(flag);
        return this;
    }

    /** A copy. */
    Args copy() {
        Args a = new Args(command);
        a.flags.putAll(flags);
        return a;
    }

    /** The arguments after {@code erasediff}. */
    List<String> list() {
        List<String> l = new ArrayList<>(List.of(command));
        flags.forEach((k, v) -> {
            l.add(k);
            if (!v.isEmpty()) {
                l.add(v);
            }
        });
        return l;
    }

    @Override
    public String toString() {
        return "erasediff " + String.join(" ", list());
    }
}
