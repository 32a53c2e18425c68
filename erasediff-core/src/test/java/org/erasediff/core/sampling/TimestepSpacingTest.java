package org.erasediff.core.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TimestepSpacingTest {

    @Test
    void everySpacingRunsFromTMinusOneDownToZeroStrictly() {
        int[][] cases = {{1000, 1000}, {1000, 999}, {1000, 100}, {1000, 50}, {1000, 2}, {1000, 1},
            {10, 10}, {10, 9}, {10, 4}, {7, 3}, {2, 2}, {2, 1}, {3, 2}, {1, 1}};
        for (TimestepSpacing spacing : TimestepSpacing.values()) {
            for (int[] c : cases) {
                int[] ts = spacing.timesteps(c[0], c[1]);
                String what = spacing + " T=" + c[0] + " S=" + c[1];
                assertEquals(c[1], ts.length, what);
                assertEquals(c[0] - 1, ts[0], what);
                assertEquals(c[1] == 1 ? c[0] - 1 : 0, ts[ts.length - 1], what);
                for (int i = 1; i < ts.length; i++) {
                    assertTrue(ts[i] < ts[i - 1], what + " not strictly decreasing at " + i);
                }
            }
        }
    }

    @Test
    void knownSequences() {
        assertArrayEquals(new int[] {9, 6, 3, 0}, TimestepSpacing.UNIFORM.timesteps(10, 4));
        assertArrayEquals(new int[] {9, 4, 1, 0}, TimestepSpacing.QUADRATIC.timesteps(10, 4));
        assertArrayEquals(new int[] {999, 666, 333, 0}, TimestepSpacing.UNIFORM.timesteps(1000, 4));
        int[] all = TimestepSpacing.UNIFORM.timesteps(1000, 1000);
        for (int i = 0; i < 1000; i++) {
            assertEquals(999 - i, all[i]);
        }
    }

    @Test
    void quadraticIsDenserNearZero() {
        int[] ts = TimestepSpacing.QUADRATIC.timesteps(1000, 100);
        assertTrue(ts[0] - ts[1] > 10 * (ts[98] - ts[99]), "gap at the top must exceed the gap near 0");
    }

    @Test
    void rejectsStepCountsOutsideOneToT() {
        assertEquals("steps must be in [1, 10], got 11",
                assertThrows(IllegalArgumentException.class, () -> TimestepSpacing.UNIFORM.timesteps(10, 11))
                        .getMessage());
        assertEquals("steps must be in [1, 10], got 0",
                assertThrows(IllegalArgumentException.class, () -> TimestepSpacing.QUADRATIC.timesteps(10, 0))
                        .getMessage());
    }
}
