package org.erasediff.dl4j.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryGuardTest {

    private static final long MB = 1024 * 1024;

    @Test
    void collectsOnlyAboveTheBudget() {
        AtomicLong rss = new AtomicLong(900 * MB);
        MemoryGuard guard = new MemoryGuard(1000 * MB, rss::get, () -> rss.addAndGet(-300 * MB));
        assertFalse(guard.check(), "under budget");
        assertEquals(900 * MB, rss.get());
        rss.set(1200 * MB);
        assertTrue(guard.check(), "over budget");
        assertEquals(900 * MB, rss.get());
        assertFalse(guard.check(), "back under budget");
        assertEquals(1, guard.collections());
    }

    /**
     * Live memory above the budget: collections that free nothing come at checks 1, 3, 7, 15, 31,
     * 47, … (waits 1, 2, 4, 8, 16, 16); once a collection frees memory, every check may collect again.
     */
    @Test
    void backsOffWhileCollectionsFreeNothing() {
        AtomicLong rss = new AtomicLong(3000 * MB);
        List<Integer> at = new ArrayList<>();
        MemoryGuard guard = new MemoryGuard(1000 * MB, rss::get, () -> { });
        for (int check = 1; check <= 50; check++) {
            if (guard.check()) {
                at.add(check);
            }
        }
        assertEquals(List.of(1, 3, 7, 15, 31, 47), at);
        // the live memory goes: the next collection (after the current wait) frees it
        AtomicLong collected = new AtomicLong();
        MemoryGuard second = new MemoryGuard(1000 * MB, rss::get, () -> {
            collected.incrementAndGet();
            rss.set(collected.get() <= 5 ? 3000 * MB : 800 * MB);
        });
        for (int check = 1; check <= 31; check++) {
            second.check(); // collections at 1, 3, 7, 15, 31 free nothing; the wait is 16 now
        }
        assertEquals(5, collected.get());
        int checks = 0;
        while (collected.get() == 5) {
            second.check();
            checks++;
        }
        assertEquals(16, checks, "the wait of 16 checks");
        assertEquals(800 * MB, rss.get());
        assertFalse(second.check(), "freed: under budget");
        rss.set(1100 * MB);
        assertTrue(second.check(), "above the budget again: a collection at once, the wait is back to one check");
    }

    @Test
    void rejectsNonPositiveBudgets() {
        assertThrows(IllegalArgumentException.class, () -> new MemoryGuard(0));
    }
}
