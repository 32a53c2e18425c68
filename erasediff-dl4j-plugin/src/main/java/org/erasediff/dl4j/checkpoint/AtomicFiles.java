package org.erasediff.dl4j.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files atomically: content goes to a temporary file in the target's folder, is flushed
 * to disk, and is then renamed over the target. A crash leaves either the old file or the new
 * one, never a half-written file.
 */
public final class AtomicFiles {

    /** Something that writes content to a stream. */
    @FunctionalInterface
    public interface Writer {
        /** Writes the content; the stream is closed by the caller. */
        void write(OutputStream out) throws IOException;
    }

    /** Something that writes content to a file path (for APIs that only take files). */
    @FunctionalInterface
    public interface FileWriter {
        /** Writes the whole content to {@code file}. */
        void write(Path file) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Writes {@code target} atomically with the given stream writer; creates missing parent folders. */
    public static void write(Path target, Writer writer) throws IOException {
        writeFile(target, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
        });
    }

    /** Writes a UTF-8 text file atomically. */
    public static void writeString(Path target, String content) throws IOException {
        write(target, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes a PNG image atomically. */
    public static void writePng(Path target, java.awt.image.RenderedImage image) throws IOException {
        write(target, out -> {
            if (!javax.imageio.ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available for " + target);
            }
        });
    }

    /**
     * Writes {@code target} atomically with a writer that needs a file path: it writes a temporary
     * file in the same folder, which is synced and renamed over the target.
     */
    public static void writeFile(Path target, FileWriter writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
        try {
            writer.write(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            throw writeFailure(abs, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * A failed write as an exception naming the file and its cause (e.g. "File too large" under a
     * file-size limit, "No space left on device"). Exceptions that are not write failures — no
     * IOException anywhere in their causes, or a subclass such as {@code NoSuchFileException} that
     * already names its file — come back unchanged (a runtime exception is rethrown).
     */
    static IOException writeFailure(Path target, Exception e) {
        Throwable io = e;
        while (io != null && !(io instanceof IOException)) {
            io = io.getCause();
        }
        if (io == null || io.getClass() != IOException.class) {
            if (e instanceof RuntimeException r) {
                throw r;
            }
            return (IOException) e;
        }
        Throwable root = io;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String why = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return new IOException("cannot write " + target + ": " + why, e);
    }
}
