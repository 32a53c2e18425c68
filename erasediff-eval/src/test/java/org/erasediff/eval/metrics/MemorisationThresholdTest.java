package org.erasediff.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MemorisationThresholdTest {

    /** Class 0 at 0, 1, 3 (nearest neighbours 1, 1, 2: median 1); class 1 at 10, 14 (4, 4: median 4). */
    private static final double[][] REFERENCE = {{0, 0}, {1, 0}, {10, 0}, {3, 0}, {14, 0}};
    private static final int[] LABELS = {0, 0, 1, 0, 1};

    @Test
    void aFractionOfTheMedianNearestNeighbourDistanceOfEachClass() {
        MemorisationThreshold t = MemorisationThreshold.relative(0.5, REFERENCE, LABELS);
        assertEquals(0.5, t.pixelThreshold(0), 1e-15);
        assertEquals(2.0, t.pixelThreshold(1), 1e-15);
        assertTrue(t.perClass());
        Map<String, Object> m = t.toMap();
        assertEquals(Map.of("0", 1.0, "1", 4.0), m.get("median_nearest_neighbour_l2"));
        assertEquals(Map.of("0", 0.5, "1", 2.0), m.get("pixel_threshold"));
        assertTrue(t.rule().contains("median nearest-neighbour"), t.rule());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.pixelThreshold(2));
        assertTrue(e.getMessage().contains("class 2"), e.getMessage());
    }

    @Test
    void eachForgottenImageIsJudgedByTheThresholdOfItsClass() {
        MemorisationCheck check = new MemorisationCheck(MemorisationThreshold.relative(0.5, REFERENCE, LABELS));
        double[][] forgotten = {{0.2, 0}, {10, 0}};
        double[][] generated = {{0.5, 0}, {12.5, 0}, {-0.1, 0}};
        MemorisationResult r = check.check(forgotten, new int[] {0, 1}, generated, null, null);
        NearestMatch a = r.matches().get(0);
        assertEquals(0, a.generatedIndex()); // 0.3 away; the third is 0.3 too: the lowest index wins the tie
        assertEquals(0.3, a.pixelL2(), 1e-12);
        assertTrue(a.nearCopy(), "0.3 < 0.5");
        assertEquals(2.0 / 3, a.fractionWithinThreshold(), 1e-15);
        NearestMatch b = r.matches().get(1);
        assertEquals(2.5, b.pixelL2(), 1e-12);
        assertFalse(b.nearCopy(), "2.5 is not below 2");
        assertEquals(2.0, b.pixelThreshold());
        assertEquals(0.5, r.memorisedFraction());
        assertEquals(2.0 / 3, r.fractionOfGeneratedWithinThreshold(), 1e-15);
        assertEquals(0.5, r.toScalars().get("memorised_fraction"));
        // a per-class threshold needs the labels
        assertThrows(IllegalArgumentException.class, () -> check.check(forgotten, generated));
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> MemorisationThreshold.relative(0, REFERENCE, LABELS));
        assertThrows(IllegalArgumentException.class, () -> MemorisationThreshold.relative(0.5, REFERENCE, new int[2]));
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> MemorisationThreshold.relative(0.5, new double[][] {{0}, {1}, {2}}, new int[] {0, 0, 1}));
        assertTrue(one.getMessage().contains("class 1 has 1"), one.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> MemorisationThreshold.relative(0.5, new double[][] {{1}, {1}}, new int[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> MemorisationThreshold.fixed(Double.POSITIVE_INFINITY));
    }
}
