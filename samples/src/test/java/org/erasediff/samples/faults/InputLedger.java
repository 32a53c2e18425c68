package org.erasediff.samples.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.erasediff.dl4j.checkpoint.GraphFiles;

/** The SHA-256 of every file under the input folders, taken before a trial and compared after it. */
final class InputLedger {

    private final List<Path> roots;

    /** @param roots the folders (or files) holding a trial's inputs */
    InputLedger(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /** Every input file's hash, by path. */
    Map<Path, String> hashes() throws IOException {
        Map<Path, String> h = new TreeMap<>();
        for (Path root : roots) {
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    h.put(p, GraphFiles.sha256(p));
                }
            }
        }
        return h;
    }

    /** The input files that changed, appeared or disappeared since {@code before}. */
    List<Path> changedSince(Map<Path, String> before) throws IOException {
        Map<Path, String> now = hashes();
        List<Path> changed = new ArrayList<>();
        for (Path p : before.keySet()) {
            if (!Objects.equals(before.get(p), now.get(p))) {
                changed.add(p);
            }
        }
        now.keySet().stream().filter(p -> !before.containsKey(p)).forEach(changed::add);
        return changed;
    }
}
