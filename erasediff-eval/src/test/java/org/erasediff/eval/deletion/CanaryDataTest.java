package org.erasediff.eval.deletion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.testing.TinyGraphs;
import org.junit.jupiter.api.Test;

class CanaryDataTest {

    @Test
    void everyCanaryAppearsCopiesTimesUnderFreshIds() {
        LabelledImages data = TinyGraphs.stripes(6).subset(new int[] {0, 1, 2, 4, 5}, "s"); // ids 0,1,2,4,5
        CanaryData c = CanaryData.duplicate(data, List.of(4, 1), 3);
        LabelledImages out = c.data();
        assertEquals(5 + 2 * 2, out.size());
        assertEquals(6, c.firstDuplicateId());
        for (int i = 0; i < 5; i++) {
            assertEquals(data.id(i), out.id(i), "originals first, ids unchanged");
        }
        // duplicates: canary 4 (position 3) twice, then canary 1 (position 1) twice, ids 6..9
        int[] source = {3, 3, 1, 1};
        for (int j = 0; j < 4; j++) {
            assertEquals(6 + j, out.id(5 + j));
            assertEquals(data.label(source[j]), out.label(5 + j));
            for (int k = 0; k < data.imageSize(); k++) {
                assertEquals(data.pixel(source[j], k), out.pixel(5 + j, k));
            }
        }
        Map<String, Object> d = c.describe();
        assertEquals(List.of(4, 1), d.get("canary_ids"));
        assertEquals(3, d.get("canary_copies"));
        assertEquals(9, d.get("train_images"));
        assertTrue(d.get("canary_duplicate_ids").toString().startsWith("6..9"), d.toString());
    }

    @Test
    void rejectsBadInput() {
        LabelledImages data = TinyGraphs.stripes(6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CanaryData.duplicate(data, List.of(2, 60), 4));
        assertTrue(e.getMessage().contains("e.g. 60"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CanaryData.duplicate(data, List.of(1, 1), 4));
        assertThrows(IllegalArgumentException.class, () -> CanaryData.duplicate(data, List.of(1), 1));
        assertThrows(IllegalArgumentException.class, () -> CanaryData.duplicate(data, List.of(), 4));
    }
}
