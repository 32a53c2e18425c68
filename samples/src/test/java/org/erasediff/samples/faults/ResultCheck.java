package org.erasediff.samples.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.erasediff.dl4j.sweep.SweepResults;
import org.erasediff.dl4j.sweep.SweepSummary;

/**
 * How a rerun's results are compared with an uninterrupted run's: the final model's weights bit
 * for bit ({@code train}, {@code unlearn}); every method's model and figures ({@code compare}); every
 * candidate's record with the records finished before the kill kept as they were ({@code sweep}).
 */
@FunctionalInterface
interface ResultCheck {

    /**
     * A finished run.
     *
     * @param dir its trial folder
     * @param out its standard output
     */
    record Run(Path dir, String out) {
    }

    /** Figures that are wall times or memory, which differ from run to run. */
    Set<String> TIMINGS = Set.of("seconds", "seconds_per_step", "setup_seconds", "fisher_seconds", "peak_rss_mb");

    /** What the trial folder holds right after the kill that the rerun must keep ({@code null}: nothing). */
    default Object atKill(Path dir) throws IOException {
        return null;
    }

    /** Why the rerun's results differ from the reference's, or {@code null}. */
    String difference(Run reference, Run rerun, Object atKill) throws Exception;

    /** The model file at {@code relative} in both folders, bit for bit. */
    static ResultCheck model(String relative) {
        return (ref, again, atKill) -> Weights.difference(ref.dir().resolve(relative), again.dir().resolve(relative));
    }

    /**
     * {@code compare} into {@code relative}: each method's model bit-identical, and the same figures (wall times
     * and memory aside) for every model in the JSON line.
     */
    static ResultCheck compare(String relative) {
        return (ref, again, atKill) -> {
            JsonNode a = figures(ref.out()).get("methods");
            JsonNode b = figures(again.out()).get("methods");
            List<String> methods = new ArrayList<>();
            a.fieldNames().forEachRemaining(methods::add);
            for (String m : methods) {
                if (!b.has(m)) {
                    return "the rerun has no row " + m;
                }
                ((ObjectNode) a.get(m)).remove(TIMINGS);
                ((ObjectNode) b.get(m)).remove(TIMINGS);
                if (!a.get(m).equals(b.get(m))) {
                    return m + "'s figures differ: " + a.get(m) + " vs " + b.get(m);
                }
                Path model = Path.of(relative, m, "model.fb");
                if (Files.exists(ref.dir().resolve(model))) {
                    String diff = Weights.difference(ref.dir().resolve(model), again.dir().resolve(model));
                    if (diff != null) {
                        return m + ": " + diff;
                    }
                }
            }
            return a.size() == b.size() ? null : "the rerun has other rows: " + b.fieldNames();
        };
    }

    /** The methods a killed {@code compare} had finished, and the step of the one it was running. */
    static String compareProgress(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return "nothing";
        }
        List<String> done = new ArrayList<>();
        String running = null;
        try (Stream<Path> s = Files.list(out)) {
            for (Path m : s.filter(p -> Files.isDirectory(p) && !p.endsWith("report")).sorted().toList()) {
                if (Files.exists(m.resolve("run.json"))) {
                    done.add(m.getFileName().toString());
                } else {
                    running = m.getFileName() + " from step " + KillTrials.step(m.resolve("checkpoints"))
                            .replace(" (no checkpoint yet)", "");
                }
            }
        }
        return done.size() + " done" + (running == null ? "" : " + " + running);
    }

    /**
     * {@code sweep} into {@code relative}: the same candidates with the same records (wall times aside) and the
     * same best config; every record stored before the kill still there as it was (not run again).
     */
    static ResultCheck sweep(String relative) {
        return new ResultCheck() {
            @Override
            public Object atKill(Path dir) throws IOException {
                return lines(dir.resolve(relative).resolve(SweepResults.JSONL));
            }

            @Override
            public String difference(Run ref, Run again, Object atKill) throws Exception {
                Path a = ref.dir().resolve(relative);
                Path b = again.dir().resolve(relative);
                List<String> before = lines(b.resolve(SweepResults.JSONL));
                @SuppressWarnings("unchecked")
                List<String> kept = (List<String>) atKill;
                if (!before.containsAll(kept)) {
                    return "a candidate finished before the kill was run again or changed";
                }
                List<JsonNode> x = records(a);
                List<JsonNode> y = records(b);
                if (!x.equals(y)) {
                    return "the records differ: " + x + " vs " + y;
                }
                if (!Files.readString(a.resolve(SweepSummary.BEST_CONFIG)).equals(
                        Files.readString(b.resolve(SweepSummary.BEST_CONFIG)))) {
                    return SweepSummary.BEST_CONFIG + " differs";
                }
                return null;
            }
        };
    }

    /** How many candidates a killed {@code sweep} had stored. */
    static String sweepProgress(Path out) throws IOException {
        return String.valueOf(lines(out.resolve(SweepResults.JSONL)).size());
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    /** The records of a sweep folder, without their wall times. */
    private static List<JsonNode> records(Path dir) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : lines(dir.resolve(SweepResults.JSONL))) {
            ObjectNode n = (ObjectNode) new ObjectMapper().readTree(line);
            n.remove(TIMINGS);
            out.add(n);
        }
        return out;
    }

    private static JsonNode figures(String out) throws IOException {
        List<String> lines = out.strip().lines().toList();
        return new ObjectMapper().readTree(lines.get(lines.size() - 1));
    }
}
