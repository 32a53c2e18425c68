package org.erasediff.eval.report;

import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Atomic file writes: the content goes to a temporary file in the target's folder, is flushed to
 * disk, and is then moved over the target with {@code ATOMIC_MOVE} and {@code REPLACE_EXISTING}.
 * A reader never sees a partially written file. Where the file system cannot move atomically the
 * move falls back to a plain replace (logged as a warning). The temporary file is deleted on
 * failure.
 */
public final class AtomicFiles {

    private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);

    private AtomicFiles() {
    }

    /**
     * Writes bytes atomically, creating the parent folders if needed.
     *
     * @param target the file to (re)place
     * @param bytes  the content; not modified
     * @throws IOException if writing or moving fails
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        if (target == null || bytes == null) {
            throw new IllegalArgumentException("target and bytes must be non-null");
        }
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                LOG.warn("Atomic move not supported in {}; replacing {} non-atomically", dir, absolute.getFileName());
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Writes text as UTF-8 atomically.
     *
     * @param target the file to (re)place
     * @param text   the content
     * @throws IOException if writing fails
     */
    public static void writeString(Path target, String text) throws IOException {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Encodes an image as PNG and writes it atomically.
     *
     * @param target the file to (re)place
     * @param image  the image; not modified
     * @throws IOException if encoding or writing fails
     */
    public static void writePng(Path target, RenderedImage image) throws IOException {
        if (image == null) {
            throw new IllegalArgumentException("image must not be null");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer available for image of type " + image.getClass().getName());
        }
        write(target, out.toByteArray());
    }
}
