package org.erasediff.dl4j.checkpoint;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A file of named ND4J arrays (optimiser state, EMA weights) with a SHA-256 trailer, so a
 * truncated or corrupted file is detected on load. Format: magic {@code EDNA1}, entry count, then
 * per entry a UTF name and {@code Nd4j.write} bytes; finally the SHA-256 of everything before it.
 */
public final class NamedArrays {

    private static final String MAGIC = "EDNA1";

    private NamedArrays() {
    }

    /** Writes the arrays atomically (null values are written as absent entries and read back as null). */
    public static void write(Path file, Map<String, INDArray> arrays) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            out.writeInt(arrays.size());
            for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeBoolean(e.getValue() != null);
                if (e.getValue() != null) {
                    Nd4j.write(e.getValue(), out);
                }
            }
        }
        byte[] payload = bytes.toByteArray();
        byte[] digest = sha256(payload);
        AtomicFiles.write(file, os -> {
            BufferedOutputStream b = new BufferedOutputStream(os, 1 << 16);
            b.write(payload);
            b.write(digest);
            b.flush();
        });
    }

    /**
     * Reads a file written by {@link #write}.
     *
     * @throws CorruptModelException if it is truncated, altered or not such a file
     */
    public static Map<String, INDArray> read(Path file) throws IOException {
        byte[] all;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            all = in.readAllBytes();
        }
        if (all.length < 32 + MAGIC.length()) {
            throw new CorruptModelException(file + ": too short to be a state file (" + all.length + " bytes)", null);
        }
        byte[] payload = Arrays.copyOf(all, all.length - 32);
        byte[] digest = Arrays.copyOfRange(all, all.length - 32, all.length);
        if (!MessageDigest.isEqual(digest, sha256(payload))) {
            throw new CorruptModelException(file + ": checksum mismatch (truncated or corrupted state file)", null);
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            if (!MAGIC.equals(in.readUTF())) {
                throw new CorruptModelException(file + ": not an EraseDiff state file", null);
            }
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                out.put(name, in.readBoolean() ? Nd4j.read(in) : null);
            }
        } catch (RuntimeException e) {
            throw new CorruptModelException(file + ": unreadable state file: " + e.getMessage(), e);
        }
        return out;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
