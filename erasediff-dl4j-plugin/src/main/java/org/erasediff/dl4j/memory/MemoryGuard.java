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
 */
public final class MemoryGuard {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryGuard.class);
    /** System property overriding the default budget, in MB. */
    public static final String BUDGET_PROPERTY = "erasediff.memoryBudgetMb";

    private final long budgetBytes;
    private final LongSupplier residentBytes;
    private final Runnable collector;
    private long collections;

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

    /** Runs a garbage collection if resident memory is above the budget; returns whether it did. */
    public boolean check() {
        long rss = residentBytes.getAsLong();
        if (rss <= budgetBytes) {
            return false;
        }
        collector.run();
        collections++;
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
