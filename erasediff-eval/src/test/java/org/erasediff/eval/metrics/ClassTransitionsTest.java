package org.erasediff.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClassTransitionsTest {

    @Test
    void countsPairsTheirChangesAndTheNetMovesOfTheOtherClasses() {
        int[] before = {0, 0, 1, 1, 2, 2, 2};
        int[] after = {1, 2, 1, 2, 2, 1, 2};
        ClassTransitions t = ClassTransitions.of(before, after, 3);
        assertArrayEquals(new int[][] {{0, 1, 1}, {0, 1, 1}, {0, 1, 2}}, t.counts());
        assertEquals(7, t.total());
        assertEquals(4.0 / 7, t.changedFraction(), 1e-15);
        // without the forgotten class 0 the 1 -> 2 and 2 -> 1 exchanges cancel
        assertArrayEquals(new double[] {0, 0, 0}, t.netMovesExcluding(List.of(0)), 1e-15);
        assertArrayEquals(new double[] {-2.0 / 7, 1.0 / 7, 1.0 / 7}, t.netMovesExcluding(List.of()), 1e-15);
        assertEquals(4.0 / 7, (double) t.toMap().get("changed_fraction"), 1e-15);
        assertTrue(t.toMarkdown(List.of("a", "b", "c")).contains("| c | 0 | 1 | 2 |"));
    }

    /** With nothing excluded the net moves are exactly the change of the class histogram. */
    @Test
    void netMovesOfAllClassesAreTheHistogramChange() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 500;
        int[] before = r.ints(n, 0, 4).toArray();
        int[] after = r.ints(n, 0, 4).toArray();
        double[] moves = ClassTransitions.of(before, after, 4).netMovesExcluding(List.of());
        for (int c = 0; c < 4; c++) {
            final int k = c;
            double change = (java.util.Arrays.stream(after).filter(x -> x == k).count()
                    - java.util.Arrays.stream(before).filter(x -> x == k).count()) / (double) n;
            assertEquals(change, moves[c], 1e-12, "class " + c);
        }
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ClassTransitions.of(new int[] {0}, new int[] {0, 1}, 2));
        assertThrows(IllegalArgumentException.class, () -> ClassTransitions.of(new int[0], new int[0], 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassTransitions.of(new int[] {0, 2}, new int[] {1, 1}, 2));
        assertEquals("image 1 has classes 2 -> 1, outside [0, 2)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ClassTransitions(new int[][] {{1, 2}}));
        assertThrows(IllegalArgumentException.class, () -> new ClassTransitions(new int[][] {{-1}}));
        int[][] m = {{1, 0}, {0, 1}};
        ClassTransitions t = new ClassTransitions(m);
        m[0][0] = 9;
        assertEquals(1, t.counts()[0][0], "the matrix is copied");
        assertEquals(new ClassTransitions(new int[][] {{1, 0}, {0, 1}}), t);
    }
}
