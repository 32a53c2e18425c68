package org.erasediff.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads idx files (the MNIST container format) of unsigned bytes, plain or gzipped (detected
 * from the gzip magic number), and checks them: magic number, element type, dimensions, exact
 * data length (truncation and trailing bytes are errors) and, optionally, the SHA-256 of the
 * uncompressed content.
 */
public final class IdxReader {

    private static final int UNSIGNED_BYTE = 0x08;
    private static final int MAX_DIMS = 4;

    private IdxReader() {
    }

    /**
     * Reads one idx file without a checksum check.
     *
     * @param in     the stream (closed by this method)
     * @param source a name for error messages (usually the file name)
     * @return the dimensions, data and SHA-256 of the content
     * @throws DataFormatException if the content is truncated, corrupt or not an idx file of unsigned bytes
     * @throws IOException         if reading fails
     */
    public static IdxArray read(InputStream in, String source) throws IOException {
        return read(in, source, null);
    }

    /**
     * Reads one idx file and checks the SHA-256 of its uncompressed content.
     *
     * @param in             the stream (closed by this method)
     * @param source         a name for error messages
     * @param expectedSha256 hex SHA-256 the uncompressed content must have, or {@code null} to skip the check
     * @return the dimensions, data and SHA-256 of the content
     * @throws DataFormatException if the content is truncated, corrupt, of the wrong format or has another checksum
     * @throws IOException         if reading fails
     */
    public static IdxArray read(InputStream in, String source, String expectedSha256) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream raw = new BufferedInputStream(in, 1 << 16)) {
            InputStream content = maybeGunzip(raw, source);
            DataInputStream data = new DataInputStream(new DigestInputStream(content, sha));
            IdxArray array = readContent(data, source, sha);
            if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(array.sha256())) {
                throw new DataFormatException(source + ": checksum mismatch: expected SHA-256 " + expectedSha256
                        + ", found " + array.sha256() + " (the file is corrupt or not the expected one)");
            }
            return array;
        } catch (ZipException e) {
            throw new DataFormatException(source + ": corrupt gzip stream: " + e.getMessage(), e);
        } catch (EOFException e) {
            throw new DataFormatException(source + ": truncated gzip stream", e);
        }
    }

    private static InputStream maybeGunzip(InputStream raw, String source) throws IOException {
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == -1) {
            throw new DataFormatException(source + ": empty file, expected an idx header");
        }
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
        }
        return raw;
    }

    private static IdxArray readContent(DataInputStream in, String source, MessageDigest sha) throws IOException {
        byte[] magic = new byte[4];
        readFully(in, magic, source, "the 4-byte magic number");
        if (magic[0] != 0 || magic[1] != 0) {
            throw new DataFormatException(source + ": not an idx file: magic number starts with "
                    + HexFormat.of().formatHex(magic, 0, 2) + ", expected 0000");
        }
        int type = magic[2] & 0xFF;
        if (type != UNSIGNED_BYTE) {
            throw new DataFormatException(source + ": unsupported idx element type 0x"
                    + Integer.toHexString(type) + ", expected 0x08 (unsigned byte)");
        }
        int ndims = magic[3] & 0xFF;
        if (ndims < 1 || ndims > MAX_DIMS) {
            throw new DataFormatException(source + ": idx header declares " + ndims
                    + " dimensions, expected 1 to " + MAX_DIMS);
        }
        int[] dims = new int[ndims];
        long total = 1;
        byte[] four = new byte[4];
        for (int i = 0; i < ndims; i++) {
            readFully(in, four, source, "dimension " + i + " of the header");
            dims[i] = ((four[0] & 0xFF) << 24) | ((four[1] & 0xFF) << 16) | ((four[2] & 0xFF) << 8) | (four[3] & 0xFF);
            if (dims[i] <= 0) {
                throw new DataFormatException(source + ": dimension " + i + " is " + dims[i] + ", expected > 0");
            }
            total *= dims[i];
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new DataFormatException(source + ": dimensions " + Arrays.toString(dims) + " hold " + total
                    + " values, more than this reader supports");
        }
        byte[] values = new byte[(int) total];
        readFully(in, values, source, total + " data bytes for dimensions " + Arrays.toString(dims));
        if (in.read() != -1) {
            throw new DataFormatException(source + ": unexpected bytes after the " + total
                    + " data bytes declared by dimensions " + Arrays.toString(dims));
        }
        return new IdxArray(dims, values, HexFormat.of().formatHex(sha.digest()));
    }

    private static void readFully(DataInputStream in, byte[] buf, String source, String what) throws IOException {
        int off = 0;
        while (off < buf.length) {
            int n = in.read(buf, off, buf.length - off);
            if (n < 0) {
                throw new DataFormatException(source + ": truncated: expected " + what + ", but the file ends after "
                        + off + " of " + buf.length + " bytes");
            }
            off += n;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
