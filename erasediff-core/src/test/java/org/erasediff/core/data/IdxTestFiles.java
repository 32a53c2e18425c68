package org.erasediff.core.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;

/** Builds small idx files in memory for tests. */
final class IdxTestFiles {
    private IdxTestFiles() {
    }

    static byte[] idx(int[] dims, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(0);
        out.write(0x08);
        out.write(dims.length);
        for (int d : dims) {
            out.write(d >>> 24);
            out.write(d >>> 16);
            out.write(d >>> 8);
            out.write(d);
        }
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(content);
        }
        return bos.toByteArray();
    }

    /** n images of h×w whose pixels all equal (index·7) mod 256, labels index mod classes. */
    static LabelledImages images(int n, int h, int w, int classes) {
        byte[] px = new byte[n * h * w];
        int[] labels = new int[n];
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(px, i * h * w, (i + 1) * h * w, (byte) (i * 7));
            labels[i] = i % classes;
            ids[i] = 100 + i;
        }
        return new LabelledImages("test", 1, h, w, classes, px, labels, ids);
    }
}
