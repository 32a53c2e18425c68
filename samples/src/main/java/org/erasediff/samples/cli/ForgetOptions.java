package org.erasediff.samples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.erasediff.core.data.ForgetRemainSplit;
import picocli.CommandLine.Option;

/** What to forget: whole classes (by index or name), sample ids, or a file of ids or image paths. */
final class ForgetOptions {

    @Option(names = "--forget-class", split = ",", paramLabel = "CLASS", description = "Class(es) to forget, by "
            + "index or (with --data) sub-folder name, e.g. 0 or 3,8 or cat.")
    List<String> classes;

    @Option(names = "--forget-ids", split = ",", paramLabel = "ID", description = "Sample ids to forget (MNIST and "
            + "idx files: index in the file; --data: position in (class, file name) order).")
    List<Integer> ids;

    @Option(names = "--forget-ids-file", paramLabel = "FILE", description = "A file naming the images to forget, one "
            + "per line: a sample id, or (with --data) an image's path, absolute or relative to the data folder; "
            + "blank lines and lines starting with # are skipped.")
    Path idsFile;

    /** Checks that exactly one kind of request is given (before anything is loaded). */
    void validate() {
        int given = (classes != null ? 1 : 0) + (ids != null ? 1 : 0) + (idsFile != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException("give exactly one of --forget-class, --forget-ids or --forget-ids-file");
        }
    }

    /** Whether whole classes are forgotten. */
    boolean byClass() {
        return classes != null;
    }

    /**
     * The class indices to forget.
     *
     * @throws IllegalArgumentException naming a class that the data does not have
     */
    List<Integer> classIndices(DataOptions.Dataset data) {
        return classIndices(classes, data);
    }

    /**
     * The indices of classes given by index or by name, as {@code --forget-class} takes them (also for
     * {@code compare} and {@code sweep}, which forget whole classes only).
     *
     * @throws IllegalArgumentException naming a class that the data does not have
     */
    static List<Integer> classIndices(List<String> classes, DataOptions.Dataset data) {
        List<Integer> out = new ArrayList<>();
        List<String> names = data.classNames();
        for (String c : classes) {
            int byName = names.indexOf(c);
            if (byName >= 0) {
                out.add(byName);
            } else if (c.matches("\\d+") && Integer.parseInt(c) < names.size()) {
                out.add(Integer.parseInt(c));
            } else {
                throw new IllegalArgumentException("--forget-class " + c + ": no such class; the data has "
                        + names.size() + " classes " + (names.size() <= 20 ? names : names.subList(0, 20) + "…"));
            }
        }
        return out;
    }

    /**
     * The forget/remain split of the data.
     *
     * @throws IllegalArgumentException naming an unknown class, id or path
     */
    ForgetRemainSplit split(DataOptions.Dataset data) throws IOException {
        if (classes != null) {
            return ForgetRemainSplit.byClasses(data.images(), classIndices(data));
        }
        return ForgetRemainSplit.bySampleIds(data.images(), ids != null ? ids : readIds(data));
    }

    private List<Integer> readIds(DataOptions.Dataset data) throws IOException {
        Map<Path, Integer> byPath = new HashMap<>();
        for (int i = 0; i < data.files().size(); i++) {
            byPath.put(data.files().get(i).toAbsolutePath().normalize(), data.images().id(i));
        }
        List<Integer> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(idsFile);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.matches("\\d+")) {
                out.add(Integer.parseInt(line));
                continue;
            }
            Path p = Path.of(line);
            Path abs = (p.isAbsolute() || data.root() == null ? p : data.root().resolve(p)).toAbsolutePath().normalize();
            Integer id = byPath.get(abs);
            if (id == null) {
                throw new IllegalArgumentException(idsFile + " line " + (n + 1) + ": '" + line + "' is neither a "
                        + "sample id nor an image of " + (data.root() == null ? "the data (paths need --data)"
                        : "the data folder " + data.root()));
            }
            out.add(id);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(idsFile + " names no image to forget");
        }
        return out;
    }
}
