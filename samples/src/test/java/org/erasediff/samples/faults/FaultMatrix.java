package org.erasediff.samples.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs the fault matrix and prints its table, then its counts as one JSON object on the last
 * line (what {@code .ci/faults} shows). Usage: {@code FaultMatrix [--kills N] [--seed S] [--work DIR]};
 * exit status 1 when any trial misbehaved (each is listed on standard error).
 */
public final class FaultMatrix {

    /** Kill trials of the full matrix. */
    static final int KILLS = 35;

    private FaultMatrix() {
    }

    /**
     * Runs every group of trials.
     *
     * @param work    the work folder (inputs, trial outputs, logs)
     * @param seed    the seed of the kill moments
     * @param kills   how many kill trials, spread over the commands
     * @param reduced whether to run only the first case of every row of corruptions and injections, the
     *                unlearn file-size limit only, compare with EraseDiff alone and a sweep of 2 candidates
     *                (the JUnit suite's matrix)
     */
    static Tally run(Path work, long seed, int kills, boolean reduced) throws Exception {
        Harness h = new Harness(work, seed);
        List<KillTrials.Scenario> scenarios = KillTrials.scenarios(h.inputs, reduced);
        Map<String, Path> references = new KillTrials(h).run(scenarios, kills);
        Path sweepReference = references.get(scenarios.get(scenarios.size() - 1).name());
        Path sweep = sweepReference != null ? sweepReference.resolve("sweep")
                : h.folder("sweep-for-corruption").resolve("sweep");
        if (sweepReference == null) {
            h.require(Args.sweep(h.inputs, sweep, 2));
        }
        Path train = h.folder("train-for-checkpoints");
        Path run = h.folder("unlearn-for-resume").resolve("run");
        if (!reduced) {
            // the reduced matrix's corruptions and limits need no train checkpoints
            h.require(Args.train(h.inputs, train.resolve("unet.fb")).with("--steps", "3"));
        }
        h.require(Args.unlearn(h.inputs, run));
        Path checkpoints = train.resolve("unet.fb.checkpoints");
        List<CorruptionTrials.Case> corruptions = CorruptionTrials.cases(h.inputs, checkpoints, run, sweep);
        List<NanTrials.Case> injections = NanTrials.cases(h.inputs);
        new CorruptionTrials(h).run(reduced ? firstPerRow(corruptions, CorruptionTrials.Case::row) : corruptions);
        new NanTrials(h).run(reduced ? firstPerRow(injections, c -> String.valueOf(c.refused())) : injections);
        new DiskFullTrials(h).run(run, reduced ? null : checkpoints);
        return h.tally;
    }

    /** The first element of each row, in order. */
    static <T> List<T> firstPerRow(List<T> all, Function<T, String> row) {
        Map<String, T> first = new LinkedHashMap<>();
        all.forEach(t -> first.putIfAbsent(row.apply(t), t));
        return List.copyOf(first.values());
    }

    /** Entry point of {@code .ci/faults}. */
    public static void main(String[] args) throws Exception {
        int kills = KILLS;
        long seed = 14;
        Path work = null;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--kills" -> kills = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--work" -> work = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (use --kills N, --seed S, --work DIR)");
            }
        }
        if (work == null) {
            work = Files.createTempDirectory("erasediff-faults");
        }
        long t0 = System.nanoTime();
        Tally t = run(work, seed, kills, false);
        t.failures().forEach(f -> System.err.println("FAULT MATRIX FAILURE: " + f));
        System.out.print(t.table());
        System.out.printf("(%d kill trials, seed %d, %.0f s; outputs and logs in %s)%n", kills, seed,
                (System.nanoTime() - t0) / 1e9, work);
        System.out.println(t.json());
        System.exit(t.failures().isEmpty() ? 0 : 1);
    }
}
