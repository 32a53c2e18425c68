package org.erasediff.dl4j.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.erasediff.dl4j.checkpoint.AtomicFiles;
import org.erasediff.dl4j.checkpoint.CorruptModelException;

/**
 * The results of one sweep, in a folder: {@value #JSONL} (one {@link SweepRecord} per line) and
 * {@value #CSV} (the same as a table ordered by candidate index), each replaced atomically as each
 * candidate finishes, {@value #JSONL} first. Reopening the folder gives back every finished
 * candidate, so a stopped sweep resumes without running them again. Thread-safe.
 *
 * <p>What a kill can leave, and is resumed: no files yet; both files agreeing; {@value #JSONL} one
 * record ahead of {@value #CSV} (killed between the two writes: the table is brought up to date by
 * {@link #completeInterruptedWrite()}); and, from the appending writer of earlier versions, a last
 * line cut off after records the table agrees with (dropped: that candidate runs again). Anything
 * else is refused as corrupt, naming the file: a line that is not a record, a repeated index, a
 * table that does not match the records (a truncated, emptied or edited file), a table without its
 * {@value #JSONL} or more than one record without its table.
 */
public final class SweepResults {

    /** Name of the JSON-lines file. */
    public static final String JSONL = "results.jsonl";
    /** Name of the CSV file. */
    public static final String CSV = "results.csv";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> PARAMS = new TypeReference<>() { };
    private static final TypeReference<LinkedHashMap<String, Double>> METRICS = new TypeReference<>() { };

    private final Path dir;
    private final Map<Integer, SweepRecord> byIndex = new TreeMap<>();
    /** The records in file order (the order of {@value #JSONL}'s lines). */
    private final List<SweepRecord> lines = new ArrayList<>();
    /** Whether the files on disk are behind {@link #lines} (an interrupted write to complete). */
    private boolean interrupted;

    private SweepResults(Path dir) {
        this.dir = dir;
    }

    /**
     * Opens (creating the folder if needed) the results in {@code dir}; reads only.
     *
     * @throws CorruptModelException if the files are not a state a kill can leave (see the class
     *                               comment), naming the file and the problem
     * @throws IOException           if the folder cannot be read or created
     */
    public static SweepResults open(Path dir) throws IOException {
        Files.createDirectories(dir);
        SweepResults r = new SweepResults(dir);
        Path file = dir.resolve(JSONL);
        Path table = dir.resolve(CSV);
        boolean cut = false;
        if (Files.exists(file)) {
            String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n", -1);
            int complete = lines.length - 1; // what follows the last newline is empty or a cut-off line
            for (int i = 0; i < complete; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                SweepRecord rec = parse(lines[i], file, i + 1);
                if (r.byIndex.put(rec.index(), rec) != null) {
                    throw new CorruptModelException(file + " line " + (i + 1) + ": candidate " + rec.index()
                            + " appears twice", null);
                }
                r.lines.add(rec);
            }
            cut = !lines[lines.length - 1].isEmpty();
        } else if (Files.exists(table)) {
            throw new CorruptModelException(table + " has no " + JSONL + " beside it: the records are missing "
                    + "(restore " + JSONL + " or choose a new output folder)", null);
        }
        String written = Files.exists(table) ? Files.readString(table, StandardCharsets.UTF_8) : null;
        boolean agrees = written == null ? r.lines.isEmpty() : written.equals(csv(r.lines));
        boolean behind = !r.lines.isEmpty() && (written == null ? r.lines.size() == 1
                : written.equals(csv(r.lines.subList(0, r.lines.size() - 1))));
        if (cut && !agrees) {
            throw new CorruptModelException(file + " line " + (r.lines.size() + 1) + " is cut off and the records "
                    + "before it do not match " + CSV + ": the file was truncated or damaged", null);
        }
        if (!agrees && !behind) {
            throw new CorruptModelException(mismatch(file, table, written, r.lines), null);
        }
        r.interrupted = cut || behind;
        return r;
    }

    /** Why the table and the records disagree: the first candidate that differs, or their counts. */
    private static String mismatch(Path file, Path table, String written, List<SweepRecord> records) {
        if (written == null) {
            return file + " holds " + records.size() + " records but " + CSV + " beside it is missing: restore it "
                    + "or choose a new output folder";
        }
        List<String> expected = csv(records).lines().toList();
        List<String> actual = written.lines().toList();
        if (actual.size() > expected.size()) {
            return file + " holds " + records.size() + " records but " + table.getFileName() + " lists "
                    + Math.max(0, actual.size() - 1) + " candidates: " + JSONL + " was truncated or damaged";
        }
        int row = 0;
        while (row < actual.size() && actual.get(row).equals(expected.get(row))) {
            row++;
        }
        String which = row == 0 ? "its header" : "candidate " + expected.get(Math.min(row, expected.size() - 1))
                .split(",", 2)[0];
        return file + " and " + table.getFileName() + " beside it disagree on " + which + ": one of them was "
                + "changed or damaged (restore both or choose a new output folder)";
    }

    /**
     * Completes what an interrupted sitting left unwritten: rewrites {@value #CSV} when it is one record
     * behind, and drops a cut-off last line. Call it once the records are known to belong to the sweep
     * (e.g. after {@link SweepPlan#checkAgainst}).
     *
     * @throws IOException if writing fails
     */
    public synchronized void completeInterruptedWrite() throws IOException {
        if (interrupted) {
            write();
            interrupted = false;
        }
    }

    private static SweepRecord parse(String line, Path file, int lineNo) throws CorruptModelException {
        try {
            JsonNode n = JSON.readTree(line);
            return new SweepRecord(n.get("index").asInt(), n.get("config_hash").asText(), n.get("method").asText(),
                    JSON.convertValue(n.get("parameters"), PARAMS), n.get("config").toString(),
                    n.get("status").asText(), JSON.convertValue(n.get("metrics"), METRICS),
                    n.get("objective").isNull() ? null : n.get("objective").asDouble(), n.get("seconds").asDouble(),
                    n.get("error").isNull() ? null : n.get("error").asText());
        } catch (JsonProcessingException | RuntimeException e) {
            throw new CorruptModelException(file + " line " + lineNo + " is not a sweep record: " + e.getMessage(), e);
        }
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /** The finished candidate with this index, if any. */
    public synchronized Optional<SweepRecord> finished(int index) {
        return Optional.ofNullable(byIndex.get(index));
    }

    /** Every finished candidate, by index. */
    public synchronized List<SweepRecord> records() {
        return new ArrayList<>(byIndex.values());
    }

    /**
     * Stores a finished candidate: replaces {@value #JSONL} atomically with its line added, then
     * {@value #CSV}. The record is stored as it reads back from its line.
     *
     * @throws IllegalStateException if a candidate with this index is already stored
     * @throws IOException           if writing fails
     */
    public synchronized void append(SweepRecord r) throws IOException {
        if (byIndex.containsKey(r.index())) {
            throw new IllegalStateException("candidate " + r.index() + " is already in " + dir.resolve(JSONL));
        }
        SweepRecord stored = parse(toJson(r), dir.resolve(JSONL), lines.size() + 1);
        byIndex.put(stored.index(), stored);
        lines.add(stored);
        write();
        interrupted = false;
    }

    /** Writes both files from the records, {@value #JSONL} first. */
    private void write() throws IOException {
        StringBuilder text = new StringBuilder();
        lines.forEach(l -> text.append(toJson(l)).append('\n'));
        AtomicFiles.writeString(dir.resolve(JSONL), text.toString());
        AtomicFiles.writeString(dir.resolve(CSV), csv(lines));
    }

    /** A record as one JSON line (the config embedded as an object). */
    static String toJson(SweepRecord r) {
        try {
            ObjectNode n = JSON.createObjectNode();
            n.put("index", r.index());
            n.put("config_hash", r.configHash());
            n.put("method", r.method());
            n.set("parameters", JSON.valueToTree(r.parameters()));
            n.put("status", r.status());
            n.set("metrics", JSON.valueToTree(r.metrics()));
            if (r.objective() == null) {
                n.putNull("objective");
            } else {
                n.put("objective", r.objective());
            }
            n.put("seconds", r.seconds());
            if (r.error() == null) {
                n.putNull("error");
            } else {
                n.put("error", r.error());
            }
            n.set("config", JSON.readTree(r.config()));
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("record " + r.index() + " cannot be written as JSON", e);
        }
    }

    /** The records as CSV: index, hash, method, status, every parameter, every figure, objective, seconds, error. */
    static String csv(List<SweepRecord> records) {
        Set<String> params = new LinkedHashSet<>();
        Set<String> metrics = new LinkedHashSet<>();
        for (SweepRecord r : records) {
            params.addAll(r.parameters().keySet());
            metrics.addAll(r.metrics().keySet());
        }
        List<String> header = new ArrayList<>(List.of("index", "config_hash", "method", "status"));
        header.addAll(params);
        header.addAll(metrics);
        header.addAll(List.of("objective", "seconds", "error"));
        StringBuilder sb = new StringBuilder();
        row(sb, header);
        List<SweepRecord> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparingInt(SweepRecord::index));
        for (SweepRecord r : sorted) {
            List<String> cells = new ArrayList<>(List.of(String.valueOf(r.index()), r.configHash(), r.method(),
                    r.status()));
            params.forEach(p -> cells.add(cell(r.parameters().get(p))));
            metrics.forEach(m -> cells.add(cell(r.metrics().get(m))));
            cells.add(cell(r.objective()));
            cells.add(cell(r.seconds()));
            cells.add(cell(r.error()));
            row(sb, cells);
        }
        return sb.toString();
    }

    private static String cell(Object v) {
        return v == null ? "" : String.valueOf(v);
    }

    private static void row(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            if (c.contains(",") || c.contains("\"") || c.contains("\n")) {
                c = "\"" + c.replace("\"", "\"\"") + "\"";
            }
            sb.append(i == 0 ? "" : ",").append(c);
        }
        sb.append('\n');
    }
}
