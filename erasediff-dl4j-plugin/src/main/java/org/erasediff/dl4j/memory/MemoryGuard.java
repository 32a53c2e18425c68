package org.erasediff.dl4j.memory;

import java.util.function.LongSupplier;
import org.bytedeco.javacpp.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a training loop's resident memory bounded. ND4J frees an array's native memory only
 * after the garbage collector has collected its small Java object; with a roomy heap the
 * collector rarely runs, so SameDiff loops grow to many GB (16 GB and an OOM kill were seen
 * here). Calling {@link #check()} once per step runs a collection whenever the process's resident
 * size exceeds the budget, which returns the native memory of dead arrays. (Collecting only after
 * a growth of a few hundred MB was tried: ND4J frees native memory asynchronously after a
 * collection, so the growth was misjudged and loops reached 6.9–8.5 GB instead of 4.)
 *
 * <p>When the memory above the budget is live, collecting cannot bring it down, and a full
 * collection at every check only costs time (with two sampling workers, a collection at every
 * step of each). So the guard backs off: when a collection did not lower the resident size by at
 * least 5 % by the next check, the next one waits twice as many checks (at most
 * {@value #MAX_INTERVAL}); a collection that does free memory resets the wait to one check.
 */
public final class MemoryGuard {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryGuard.class);
    /** System property overriding the default budget, in MB. */
    public static final String BUDGET_PROPERTY = "erasediff.memoryBudgetMb";

    private final long budgetBytes;
    private final LongSupplier residentBytes;
    private final Runnable collector;
    private long collections;
    /** Most checks between two collections while resident memory stays above the budget. */
    static final int MAX_INTERVAL = 16;
    private int interval = 1;
    private int sinceCollection;
    /** The resident size when the last collection ran, until the next check has judged it; else −1. */
    private long residentAtCollection = -1;

    /** @param budgetBytes resident size above which a collection may run (&gt; 0) */
    public MemoryGuard(long budgetBytes) {
        this(budgetBytes, Pointer::physicalBytes, System::gc);
    }

    MemoryGuard(long budgetBytes, LongSupplier residentBytes, Runnable collector) {
        if (budgetBytes <= 0) {
            throw new IllegalArgumentException("memory budget must be > 0, was " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
        this.residentBytes = residentBytes;
        this.collector = collector;
    }

    /** A guard with the budget from {@value #BUDGET_PROPERTY} (default 2,500 MB). */
    public static MemoryGuard fromSystemProperty() {
        return new MemoryGuard(Long.getLong(BUDGET_PROPERTY, 2500L) * 1024 * 1024);
    }

    /**
     * Runs a garbage collection if resident memory is above the budget (and the back-off allows
     * it); returns whether it did.
     */
    public boolean check() {
        long rss = residentBytes.getAsLong();
        if (residentAtCollection >= 0) { // did the last collection free anything?
            boolean freed = rss < residentAtCollection - residentAtCollection / 20;
            interval = freed ? 1 : Math.min(2 * interval, MAX_INTERVAL);
            residentAtCollection = -1;
        }
        sinceCollection++;
        if (rss <= budgetBytes) {
            interval = 1;
            return false;
        }
        if (sinceCollection < interval) {
            return false;
        }
        collector.run();
        collections++;
        sinceCollection = 0;
        residentAtCollection = rss;
        if (LOG.isDebugEnabled()) {
            LOG.debug("resident {} MB above budget {} MB: collected ({} so far)", rss >> 20, budgetBytes >> 20,
                    collections);
        }
        return true;
    }

    /** How many collections this guard triggered. */
    public long collections() {
        return collections;
    }
}
