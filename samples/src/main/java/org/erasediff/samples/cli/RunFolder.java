package org.erasediff.samples.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The folder a command writes its outputs to. An explicit folder must not exist (outputs never
 * go over earlier results or inputs); by default every run gets a new folder of its own,
 * {@code runs/<command>/<yyyyMMdd-HHmmss>} (with {@code -2}, {@code -3}, … when that name is
 * taken). The folder is chosen when the command starts and created only once all inputs are
 * validated, so bad input leaves nothing behind. A resumable folder ({@link #resumable}) may be
 * the folder of an interrupted run, which the run then continues in.
 */
final class RunFolder {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path explicit;
    private final Path parent;
    private final String stamp;
    private final boolean reuse;
    private Path created;
    private boolean createdHere;

    private RunFolder(Path explicit, Path parent, String stamp, boolean reuse) {
        this.explicit = explicit;
        this.parent = parent;
        this.stamp = stamp;
        this.reuse = reuse;
    }

    /**
     * @param explicit the folder the user asked for, or {@code null} for a new one under {@code runs/<command>}
     * @param command  the command's name
     * @throws IllegalArgumentException if the explicit folder exists
     */
    static RunFolder of(Path explicit, String command) {
        return of(explicit, Path.of("runs", command));
    }

    /**
     * @param explicit the folder the user asked for, or {@code null} for a new one under {@code runs}
     * @param runs     where new folders go
     * @throws IllegalArgumentException if the explicit folder exists
     */
    static RunFolder of(Path explicit, Path runs) {
        if (explicit != null) {
            if (Files.exists(explicit)) {
                throw new IllegalArgumentException("output " + explicit + " exists: outputs never replace earlier "
                        + "results or inputs; choose a new folder or leave --output out for one of its own");
            }
            return new RunFolder(explicit, null, null, false);
        }
        return new RunFolder(null, runs, LocalDateTime.now().format(STAMP), false);
    }

    /**
     * A folder that is either new (or empty) or the folder of an earlier (interrupted) run of the
     * same settings: {@code settingsFile} in it must hold {@code settings}.
     *
     * @param folder       the folder the user asked for
     * @param settingsFile the file the run writes its settings to, first thing
     * @param settings     this run's settings as that file holds them
     * @throws IllegalArgumentException if the folder exists but is not a run of these settings
     */
    static RunFolder resumable(Path folder, String settingsFile, String settings) throws IOException {
        if (Files.exists(folder) && !emptyFolder(folder)) {
            Path saved = folder.resolve(settingsFile);
            if (!Files.isRegularFile(saved)) {
                throw new IllegalArgumentException("--resume " + folder + ": not a run folder (no " + settingsFile
                        + " in it)");
            }
            if (!Files.readString(saved).equals(settings)) {
                throw new IllegalArgumentException("--resume " + folder + ": the run was started with other settings ("
                        + saved + " differs from this command's); give the same settings or a new folder");
            }
        }
        return new RunFolder(folder, null, null, true);
    }

    /** Whether {@code p} is a folder with nothing in it (a run killed before it wrote anything). */
    private static boolean emptyFolder(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (var s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }

    /**
     * Removes the folder again if this run created it and the run wrote nothing into it but
     * {@code ownFiles} and empty folders: for bad input that only the run itself finds (a setting
     * that contradicts the model), so the same command, corrected, can use the same folder. A
     * folder that existed before, or holds anything else, is left as it is.
     *
     * @param ownFiles names of the files the run writes first (its settings)
     * @throws IOException if the folder cannot be read or removed
     */
    void discardIfUnused(Set<String> ownFiles) throws IOException {
        if (created == null || !createdHere) {
            return;
        }
        List<Path> entries;
        try (var walk = Files.walk(created)) {
            entries = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : entries) {
            if (!Files.isDirectory(p) && !(p.getParent().equals(created)
                    && ownFiles.contains(p.getFileName().toString()))) {
                return; // the run produced something: keep everything
            }
        }
        for (Path p : entries) {
            Files.delete(p); // children first (reverse order)
        }
        created = null;
        createdHere = false;
    }

    /**
     * Creates the folder (once) and returns it.
     *
     * @throws IOException if it cannot be created (an explicit folder created meanwhile: bad input)
     */
    Path create() throws IOException {
        if (created != null) {
            return created;
        }
        if (explicit != null && reuse && Files.isDirectory(explicit)) {
            created = explicit;
            return created;
        }
        if (explicit != null) {
            Path p = explicit.toAbsolutePath().getParent();
            if (p != null) {
                Files.createDirectories(p);
            }
            created = Files.createDirectory(explicit);
            createdHere = true;
            return created;
        }
        Files.createDirectories(parent);
        for (int n = 1; ; n++) {
            Path candidate = parent.resolve(n == 1 ? stamp : stamp + "-" + n);
            try {
                created = Files.createDirectory(candidate);
                createdHere = true;
                return created;
            } catch (FileAlreadyExistsException taken) {
                // another run started in the same second: take the next suffix
            }
        }
    }
}
