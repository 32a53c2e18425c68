package org.erasediff.dl4j.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * The results of one sweep, in a folder: {@value #JSONL} (one {@link SweepRecord} per line, appended
 * and flushed to disk as each candidate finishes) and {@value #CSV} (the same as a table ordered by
 * candidate index, rewritten atomically after each append). Reopening the folder gives back every
 * finished candidate, so a stopped sweep resumes without running them again; a last line cut off by
 * a crash is dropped (that candidate runs again). Thread-safe.
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

    private SweepResults(Path dir) {
        this.dir = dir;
    }

    /**
     * Opens (creating if needed) the results in {@code dir}.
     *
     * @throws CorruptModelException if a line other than a cut-off last one is not a record, or an
     *                               index repeats
     * @throws IOException           if the folder cannot be read or created
     */
    public static SweepResults open(Path dir) throws IOException {
        Files.createDirectories(dir);
        SweepResults r = new SweepResults(dir);
        Path file = dir.resolve(JSONL);
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String[] lines = text.split("\n", -1);
            int complete = lines.length - 1; // what follows the last newline is empty or a cut-off line
            StringBuilder kept = new StringBuilder();
            for (int i = 0; i < complete; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                SweepRecord rec = parse(lines[i], file, i + 1);
                if (r.byIndex.put(rec.index(), rec) != null) {
                    throw new CorruptModelException(file + " line " + (i + 1) + ": candidate " + rec.index()
                            + " appears twice", null);
                }
                kept.append(lines[i]).append('\n');
            }
            if (!lines[lines.length - 1].isEmpty()) {
                // a line without its newline: the write was cut off; drop it, that candidate runs again
                AtomicFiles.writeString(file, kept.toString());
            }
        }
        return r;
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
     * Stores a finished candidate: appends its line to {@value #JSONL} and forces it to disk, then
     * rewrites {@value #CSV}.
     *
     * @throws IllegalStateException if a candidate with this index is already stored
     * @throws IOException           if writing fails
     */
    public synchronized void append(SweepRecord r) throws IOException {
        if (byIndex.containsKey(r.index())) {
            throw new IllegalStateException("candidate " + r.index() + " is already in " + dir.resolve(JSONL));
        }
        byte[] line = (toJson(r) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(dir.resolve(JSONL), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.wrap(line);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        byIndex.put(r.index(), r);
        AtomicFiles.writeString(dir.resolve(CSV), csv(records()));
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
