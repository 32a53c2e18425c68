package org.erasediff.samples.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.erasediff.dl4j.checkpoint.CheckpointStore;
import org.erasediff.dl4j.checkpoint.GraphFiles;
import org.erasediff.dl4j.checkpoint.NamedArrays;
import org.erasediff.dl4j.sweep.SweepResults;

/**
 * Scans an output tree for half-written files under their final names: every model must load,
 * every state file pass its checksum, every JSON file parse, every PNG decode, every CSV have
 * whole rows, every JSON-lines file whole lines that parse, a sweep's records and table agree
 * ({@link SweepResults#open}), every checkpoint folder hold its three files. Names starting with a dot are the
 * writers' temporary files and folders (never read as outputs) and are counted apart.
 */
final class OutputAudit {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a scan found.
     *
     * @param halfWritten files (or checkpoint folders) under a final name that are incomplete, with why
     * @param temporary   leftover temporary files of interrupted writes
     */
    record Findings(List<String> halfWritten, int temporary) {
    }

    private OutputAudit() {
    }

    /** Scans {@code root} (nothing when it does not exist). */
    static Findings scan(Path root) throws IOException {
        List<String> bad = new ArrayList<>();
        int temporary = 0;
        if (!Files.exists(root)) {
            return new Findings(bad, 0);
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                if (isTemporary(root, p)) {
                    temporary += Files.isRegularFile(p) ? 1 : 0;
                } else if (Files.isDirectory(p) && p.getFileName().toString().matches("step-\\d{8}")) {
                    for (String f : List.of(CheckpointStore.MODEL, CheckpointStore.STATE, CheckpointStore.JSON)) {
                        if (!Files.isRegularFile(p.resolve(f))) {
                            bad.add(p + ": checkpoint without " + f);
                        }
                    }
                } else if (Files.isRegularFile(p)) {
                    String why = incomplete(p);
                    if (why != null) {
                        bad.add(p + ": " + why);
                    }
                }
            }
        }
        return new Findings(bad, temporary);
    }

    private static boolean isTemporary(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** The commas of a CSV line outside quoted cells. */
    private static long separators(String line) {
        long n = 0;
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                n++;
            }
        }
        return n;
    }

    /** Why the file is not a complete file of its kind, or {@code null}. */
    static String incomplete(Path p) {
        String name = p.getFileName().toString();
        try {
            if (Files.size(p) == 0) {
                return "empty";
            }
            if (name.endsWith(".fb")) {
                GraphFiles.load(p, false);
            } else if (name.endsWith(".bin")) {
                NamedArrays.read(p);
            } else if (name.endsWith(".json")) {
                JSON.readTree(p.toFile());
            } else if (name.endsWith(".png")) {
                if (ImageIO.read(p.toFile()) == null) {
                    return "not a decodable PNG";
                }
            } else if (name.endsWith(".csv")) {
                List<String> lines = Files.readAllLines(p);
                long columns = separators(lines.get(0));
                if (!Files.readString(p).endsWith("\n") || lines.stream().anyMatch(l -> separators(l) != columns)) {
                    return "a partial row";
                }
            } else if (name.endsWith(".jsonl")) {
                if (!Files.readString(p).endsWith("\n")) {
                    return "a partial line";
                }
                for (String line : Files.readAllLines(p)) {
                    JSON.readTree(line);
                }
            }
            if (name.equals(SweepResults.JSONL) || name.equals(SweepResults.CSV)) {
                SweepResults.open(p.getParent()); // the records and the table must agree as a kill can leave them
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}
