package org.erasediff.samples.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.commons.io.FileUtils;

/** Ways to damage a file, each writing the damaged copy to a new path (the original is never touched). */
final class Corruptions {

    private Corruptions() {
    }

    /** The first half of the file. */
    static Path truncated(Path source, Path copy) throws IOException {
        byte[] b = Files.readAllBytes(source);
        return write(copy, Arrays.copyOf(b, b.length / 2));
    }

    /** The file with bit {@code bit} of byte {@code at} flipped. */
    static Path bitFlipped(Path source, Path copy, int at, int bit) throws IOException {
        byte[] b = Files.readAllBytes(source);
        b[at] ^= (byte) (1 << bit);
        return write(copy, b);
    }

    /** An empty file. */
    static Path empty(Path copy) throws IOException {
        return write(copy, new byte[0]);
    }

    /** Another file's bytes under this name (another format). */
    static Path otherFormat(Path other, Path copy) throws IOException {
        return write(copy, Files.readAllBytes(other));
    }

    /** The given text. */
    static Path text(Path copy, String text) throws IOException {
        return write(copy, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A copy of a folder tree. */
    static Path copyTree(Path source, Path copy) throws IOException {
        FileUtils.copyDirectory(source.toFile(), copy.toFile());
        return copy;
    }

    private static Path write(Path copy, byte[] bytes) throws IOException {
        Files.createDirectories(copy.getParent());
        return Files.write(copy, bytes);
    }
}
