package org.erasediff.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IdxReaderTest {

    private static final byte[] DATA = {1, 2, 3, 4, 5, 6, (byte) 200, (byte) 255, 0, 9, 10, 11};
    private static final byte[] GOOD = IdxTestFiles.idx(new int[] {3, 2, 2}, DATA);

    private static IdxArray read(byte[] b) throws IOException {
        return IdxReader.read(new ByteArrayInputStream(b), "f.idx");
    }

    @Test
    void readsPlainFile() throws IOException {
        IdxArray a = read(GOOD);
        assertArrayEquals(new int[] {3, 2, 2}, a.dims());
        assertArrayEquals(DATA, a.data());
        assertEquals(3, a.count());
        assertEquals(4, a.itemSize());
        assertEquals(64, a.sha256().length());
    }

    @Test
    void readsGzippedFileWithSameChecksumAsPlain() throws IOException {
        IdxArray plain = read(GOOD);
        IdxArray gz = read(IdxTestFiles.gzip(GOOD));
        assertArrayEquals(plain.data(), gz.data());
        assertEquals(plain.sha256(), gz.sha256());
        IdxReader.read(new ByteArrayInputStream(IdxTestFiles.gzip(GOOD)), "f", plain.sha256());
    }

    @Test
    void truncatedDataIsRejectedWithCounts() {
        byte[] cut = Arrays.copyOf(GOOD, GOOD.length - 5);
        DataFormatException e = assertThrows(DataFormatException.class, () -> read(cut));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("7 of 12"), e.getMessage());
    }

    @Test
    void truncatedHeaderIsRejected() {
        DataFormatException e = assertThrows(DataFormatException.class, () -> read(Arrays.copyOf(GOOD, 6)));
        assertTrue(e.getMessage().contains("dimension 0"), e.getMessage());
    }

    @Test
    void truncatedGzipIsRejected() throws IOException {
        byte[] gz = IdxTestFiles.gzip(GOOD);
        DataFormatException e = assertThrows(DataFormatException.class, () -> read(Arrays.copyOf(gz, gz.length - 12)));
        assertTrue(e.getMessage().contains("f.idx"), e.getMessage());
    }

    @Test
    void badMagicTypeAndDimensionsAreRejected() {
        byte[] magic = GOOD.clone();
        magic[0] = 7;
        assertTrue(assertThrows(DataFormatException.class, () -> read(magic)).getMessage().contains("not an idx file"));
        byte[] type = GOOD.clone();
        type[2] = 0x0D;
        assertTrue(assertThrows(DataFormatException.class, () -> read(type)).getMessage().contains("element type"));
        byte[] zeroDim = IdxTestFiles.idx(new int[] {0, 2}, new byte[0]);
        assertTrue(assertThrows(DataFormatException.class, () -> read(zeroDim)).getMessage().contains("expected > 0"));
        assertTrue(assertThrows(DataFormatException.class, () -> read(new byte[0])).getMessage().contains("empty"));
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] longer = Arrays.copyOf(GOOD, GOOD.length + 3);
        assertTrue(assertThrows(DataFormatException.class, () -> read(longer)).getMessage().contains("unexpected bytes"));
    }

    @Test
    void corruptContentFailsTheChecksum() throws IOException {
        String sha = read(GOOD).sha256();
        byte[] flipped = GOOD.clone();
        flipped[GOOD.length - 1] ^= 1;
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> IdxReader.read(new ByteArrayInputStream(flipped), "f.idx", sha));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }

    @Test
    void mnistReaderRejectsWrongFiles() throws IOException {
        byte[] img = IdxTestFiles.idx(new int[] {2, 28, 28}, new byte[2 * 784]);
        byte[] lab = IdxTestFiles.idx(new int[] {2}, new byte[2]);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Mnist.read(Mnist.Split.TEST,
                new ByteArrayInputStream(img), new ByteArrayInputStream(lab)));
        assertTrue(e.getMessage().contains("checksum mismatch") && e.getMessage().contains("t10k-images"),
                e.getMessage());
    }

    @Test
    void fromIdxBuildsLabelledImagesAndChecksCounts() throws IOException {
        IdxArray img = read(GOOD);
        IdxArray lab = read(IdxTestFiles.idx(new int[] {3}, new byte[] {0, 2, 1}));
        LabelledImages set = LabelledImages.fromIdx("s", img, lab, 3);
        assertEquals(3, set.size());
        assertEquals(2, set.label(1));
        assertEquals(200, set.pixel(1, 2));
        assertArrayEquals(new int[] {0, 1, 2}, set.ids());
        IdxArray twoLabels = read(IdxTestFiles.idx(new int[] {2}, new byte[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> LabelledImages.fromIdx("s", img, twoLabels, 3));
        IdxArray badLabel = read(IdxTestFiles.idx(new int[] {3}, new byte[] {0, 5, 1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LabelledImages.fromIdx("s", img, badLabel, 3));
        assertTrue(e.getMessage().contains("label of image 1 is 5"), e.getMessage());
    }
}
