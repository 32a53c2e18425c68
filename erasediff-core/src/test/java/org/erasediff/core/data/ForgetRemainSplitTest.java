package org.erasediff.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ForgetRemainSplitTest {

    private final LabelledImages data = IdxTestFiles.images(20, 2, 2, 4);

    @Test
    void splitsByClass() {
        ForgetRemainSplit s = ForgetRemainSplit.byClasses(data, List.of(1, 3));
        assertEquals(10, s.forget().size());
        assertEquals(10, s.remain().size());
        for (int i = 0; i < s.forget().size(); i++) {
            assertTrue(s.forget().label(i) == 1 || s.forget().label(i) == 3);
        }
        for (int i = 0; i < s.remain().size(); i++) {
            assertTrue(s.remain().label(i) == 0 || s.remain().label(i) == 2);
        }
        assertArrayEquals(new int[] {1, 3}, s.forgetClasses());
        // pixels follow their images
        assertEquals(7, s.forget().pixel(0, 0));
    }

    @Test
    void splitsBySampleIdsAcrossClasses() {
        ForgetRemainSplit s = ForgetRemainSplit.bySampleIds(data, List.of(100, 105, 119));
        assertArrayEquals(new int[] {100, 105, 119}, s.forget().ids());
        assertEquals(17, s.remain().size());
        assertArrayEquals(new int[] {0, 1, 3}, s.forgetClasses());
        assertEquals((5 * 7) & 0xFF, s.forget().pixel(1, 3));
    }

    @Test
    void rejectsEmptyUnknownAndOutOfRangeRequests() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ForgetRemainSplit.byClasses(data, List.of()))
                .getMessage().contains("no class"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ForgetRemainSplit.byClasses(data, List.of(4)))
                .getMessage().contains("out of range"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ForgetRemainSplit.bySampleIds(data, List.of()))
                .getMessage().contains("no sample id"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ForgetRemainSplit.bySampleIds(data, List.of(100, 7)));
        assertTrue(e.getMessage().contains("not in") && e.getMessage().contains("[7]"), e.getMessage());
    }

    @Test
    void rejectsForgettingEverything() {
        LabelledImages oneClass = IdxTestFiles.images(3, 2, 2, 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ForgetRemainSplit.byClasses(oneClass, List.of(0)))
                .getMessage().contains("remain set is empty"));
    }

    @Test
    void rejectsOverlappingSets() {
        LabelledImages a = data.subset(new int[] {0, 1, 2}, "a");
        LabelledImages b = data.subset(new int[] {2, 3}, "b");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ForgetRemainSplit(a, b, "manual"));
        assertTrue(e.getMessage().contains("overlap") && e.getMessage().contains("[102]"), e.getMessage());
    }

    @Test
    void contentHashIdentifiesTheSet() {
        ForgetRemainSplit s1 = ForgetRemainSplit.byClasses(data, List.of(1));
        ForgetRemainSplit s2 = ForgetRemainSplit.byClasses(data, List.of(1));
        ForgetRemainSplit s3 = ForgetRemainSplit.byClasses(data, List.of(2));
        assertEquals(s1.forget().contentHash(), s2.forget().contentHash());
        assertTrue(!s1.forget().contentHash().equals(s3.forget().contentHash()));
    }
}
