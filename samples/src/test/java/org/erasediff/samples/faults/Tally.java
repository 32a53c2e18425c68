package org.erasediff.samples.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The matrix's counts: per fault row, how many trials ran and how many behaved as specified,
 * the failures with their reasons, and the totals of the JSON line.
 */
final class Tally {

    /** One row of the table: a fault, its trials and how many behaved as specified. */
    private static final class Row {
        int trials;
        int ok;
        double seconds;
        final List<String> notes = new ArrayList<>();
    }

    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();

    Tally() {
        for (String k : List.of("kill_trials", "resumed_exact", "corrupt_inputs", "rejected_cleanly", "nan_injections",
                "recovered", "disk_full_trials", "disk_full_clean", "inputs_modified", "half_written")) {
            counts.put(k, 0);
        }
    }

    /**
     * Records a trial.
     *
     * @param row      the table row (a fault kind)
     * @param trial    what was done, for failure messages
     * @param problem  why it did not behave as specified, or {@code null}
     * @param total    the count of trials it adds to ({@code kill_trials}, …)
     * @param passed   the count of good outcomes it adds to when {@code problem} is null
     */
    void record(String row, String trial, String problem, String total, String passed) {
        Row r = rows.computeIfAbsent(row, k -> new Row());
        r.trials++;
        add(total, 1);
        if (problem == null) {
            r.ok++;
            add(passed, 1);
        } else {
            failures.add(row + " / " + trial + ": " + problem);
        }
    }

    /** Adds wall time to a row (its trials, and runs that serve only its trials, e.g. an uninterrupted reference). */
    void addSeconds(String row, double seconds) {
        rows.computeIfAbsent(row, k -> new Row()).seconds += seconds;
    }

    /** Adds a note to a row (e.g. where the kills landed). */
    void note(String row, String note) {
        rows.computeIfAbsent(row, k -> new Row()).notes.add(note);
    }

    /** Adds to a count. */
    void add(String count, int n) {
        counts.merge(count, n, Integer::sum);
    }

    /** The value of a count. */
    int count(String name) {
        return counts.get(name);
    }

    /** The failures, one line each. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    /** The table (Markdown). */
    String table() {
        StringBuilder t = new StringBuilder("| fault | trials | as specified | s | notes |\n|---|---:|---:|---:|---|\n");
        rows.forEach((name, r) -> t.append("| ").append(name).append(" | ").append(r.trials).append(" | ")
                .append(r.ok).append(" | ").append(String.format("%.0f", r.seconds)).append(" | ")
                .append(String.join("; ", r.notes)).append(" |\n"));
        t.append("| input files modified | | ").append(count("inputs_modified"))
                .append(" | | SHA-256 before/after every trial |\n");
        t.append("| half-written outputs under a final name | | ").append(count("half_written"))
                .append(" | | every output tree scanned after every kill and trial |\n");
        return t.toString();
    }

    /** The counts as one JSON object on one line. */
    String json() {
        try {
            return new ObjectMapper().writeValueAsString(counts);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
