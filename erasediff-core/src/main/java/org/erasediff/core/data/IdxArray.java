package org.erasediff.core.data;

import java.util.Arrays;

/**
 * The content of one idx file of unsigned bytes: its dimensions and its data in row-major order.
 *
 * @param dims dimension sizes, outermost first (e.g. {@code [60000, 28, 28]} for MNIST images)
 * @param data the values as unsigned bytes ({@code data[i] & 0xFF}); owned by this record, do not mutate
 * @param sha256 hex SHA-256 of the whole uncompressed file, for provenance and integrity checks
 */
public record IdxArray(int[] dims, byte[] data, String sha256) {

    /** Number of items along the first dimension. */
    public int count() {
        return dims[0];
    }

    /** Number of values per item (product of all but the first dimension; 1 for a vector). */
    public int itemSize() {
        int s = 1;
        for (int i = 1; i < dims.length; i++) {
            s *= dims[i];
        }
        return s;
    }

    @Override
    public String toString() {
        return "IdxArray" + Arrays.toString(dims);
    }
}
