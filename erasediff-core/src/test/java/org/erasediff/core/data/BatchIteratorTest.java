package org.erasediff.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class BatchIteratorTest {

    private final LabelledImages data = IdxTestFiles.images(10, 2, 3, 3);

    @Test
    void batchesAreScaledToMinusOneOneAndMatchLabels() {
        BatchIterator it = new BatchIterator(data, 4, 1L);
        BatchIterator.Batch b = it.next();
        assertArrayEquals(new long[] {4, 1, 2, 3}, b.images().shape());
        for (int j = 0; j < 4; j++) {
            int id = b.ids()[j];
            int pos = id - 100;
            assertEquals(data.label(pos), b.labels()[j]);
            float expected = (data.pixel(pos, 0) * 2f / 255f) - 1f;
            INDArray img = b.images().slice(j);
            assertEquals(expected, img.minNumber().floatValue(), 1e-6);
            assertEquals(expected, img.maxNumber().floatValue(), 1e-6);
        }
    }

    @Test
    void everyEpochVisitsEveryImageOnceAndBuffersAreReused() {
        BatchIterator it = new BatchIterator(data, 5, 7L);
        BatchIterator.Batch first = it.next();
        Set<Integer> seen = new HashSet<>();
        for (int id : first.ids()) {
            seen.add(id);
        }
        BatchIterator.Batch second = it.next();
        assertSame(first, second);
        for (int id : second.ids()) {
            seen.add(id);
        }
        assertEquals(10, seen.size());
    }

    @Test
    void sameSeedSameOrderAndSkipResumes() {
        BatchIterator a = new BatchIterator(data, 3, 42L);
        BatchIterator b = new BatchIterator(data, 3, 42L);
        for (int i = 0; i < 5; i++) {
            a.next();
        }
        b.skip(5);
        assertEquals(5, b.batchesDrawn());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(a.next().ids().clone(), b.next().ids().clone());
        }
        BatchIterator c = new BatchIterator(data, 3, 43L);
        BatchIterator d = new BatchIterator(data, 3, 42L);
        boolean differs = false;
        for (int i = 0; i < 4 && !differs; i++) {
            differs = !java.util.Arrays.equals(c.next().ids().clone(), d.next().ids().clone());
        }
        assertEquals(true, differs);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new BatchIterator(data, 0, 1L));
        LabelledImages empty = data.subset(new int[0], "empty");
        assertThrows(IllegalArgumentException.class, () -> new BatchIterator(empty, 2, 1L));
    }
}
