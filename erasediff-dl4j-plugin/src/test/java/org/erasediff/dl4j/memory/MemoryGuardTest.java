package org.erasediff.dl4j.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void rejectsNonPositiveBudgets() {
        assertThrows(IllegalArgumentException.class, () -> new MemoryGuard(0));
    }
}
