package org.erasediff.dl4j.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Loading and saving SameDiff graphs (FlatBuffers files) safely: saves are atomic, loads fail
 * with a {@link CorruptModelException} naming the file instead of an obscure parser error.
 */
public final class GraphFiles {

    private GraphFiles() {
    }

    /**
     * Saves a graph atomically.
     *
     * @param sd           the graph
     * @param target       destination file (replaced atomically if it exists)
     * @param updaterState whether to include the updater state of {@code sd.fit}
     */
    public static void save(SameDiff sd, Path target, boolean updaterState) throws IOException {
        AtomicFiles.write(target, out -> sd.save(out, updaterState));
    }

    /**
     * Loads a graph from a file.
     *
     * @throws NoSuchFileException   if the file does not exist
     * @throws CorruptModelException if it is empty, truncated or not a SameDiff FlatBuffers file
     */
    public static SameDiff load(Path file, boolean updaterState) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "model file not found");
        }
        if (Files.size(file) == 0) {
            throw new CorruptModelException(file + ": the model file is empty", null);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, file.toString(), updaterState);
        }
    }

    /** Loads a graph from a stream; {@code source} names it in error messages. */
    public static SameDiff load(InputStream in, String source, boolean updaterState) throws IOException {
        try {
            SameDiff sd = SameDiff.load(in, updaterState);
            if (sd == null || sd.variables().isEmpty()) {
                throw new CorruptModelException(source + ": no graph could be read (empty or not a SameDiff file)", null);
            }
            return sd;
        } catch (CorruptModelException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            if (e instanceof OutOfMemoryError oom) {
                throw oom;
            }
            throw new CorruptModelException(source + ": not a readable SameDiff model (truncated or corrupt): "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
    }

    /** Hex SHA-256 of a file's bytes (for provenance records). */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
