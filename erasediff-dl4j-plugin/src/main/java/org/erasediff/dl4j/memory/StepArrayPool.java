package org.erasediff.dl4j.memory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A SameDiff session memory manager that recycles the arrays of a training step (or of a
 * prediction) instead of allocating fresh ones.
 *
 * <p>Why: on these machines a fresh array costs far more than the op that fills it (page faults:
 * 40–50 ms for a new 12.8 MB array against 2 ms in place), and with nothing released inside a
 * step every intermediate array of the forward and backward pass stays resident until the
 * garbage collector runs. SameDiff's own recycling manager ({@code ArrayCacheMemoryMgr}) is not
 * usable in M2.1: it recycles whatever the session releases, arrays it did not allocate included,
 * and gave wrong gradients and predictions here.
 *
 * <p>This pool only ever recycles arrays it allocated itself, and never arrays handed out as
 * requested outputs ({@code detached}), which the caller may keep. Policies:
 * <ul>
 *   <li>{@link Reuse#NONE}: no recycling, every array is fresh (SameDiff's behaviour with its cache
 *       off; kept as the baseline for benchmarks);</li>
 *   <li>{@link Reuse#NEXT_STEP}: every array of a step becomes reusable when the caller calls
 *       {@link #endStep()} — safe by construction (after a step, the session's intermediate arrays
 *       are dead), fast, but the step's peak memory is its whole working set;</li>
 *   <li>{@link Reuse#WITHIN_STEP}: additionally, an array the session releases (its last consumer
 *       has run) is reused by later ops of the same step, unless other arrays still share its
 *       buffer; this also cuts the step's peak memory.</li>
 * </ul>
 * A recycled buffer serves any request of the same data type and element count, whatever its
 * shape or order (the array handed out is a new view of the whole buffer): a UNet step asks for
 * many shapes of one size (a convolution's output and its group-norm reshapes, attention's
 * transposes), and keying by size instead of shape cut the reference UNet's pool from 1.46 GB.
 * The view is a new array object even for the same shape: SameDiff's session releases each array
 * id at most once, and handing one object out twice kept its second use from ever being released
 * (the reference UNet's step pool grew with every step that way, to 1.35 GB in {@code bench}; it is
 * 589 MB now).
 * Arrays unused for {@value #IDLE_STEPS_BEFORE_FREE} steps are freed, so a change of batch shape
 * does not pin the old shapes' memory. Not thread-safe: one pool per session and thread.
 */
public final class StepArrayPool extends AbstractMemoryMgr {

    /** When a recycled array may be handed out again. */
    public enum Reuse {
        /** Never: every allocation is a fresh array. */
        NONE,
        /** Only after {@link #endStep()}. */
        NEXT_STEP,
        /** As soon as the session releases it (and at {@link #endStep()} for the rest). */
        WITHIN_STEP
    }

    /** Steps an idle pooled array is kept before its memory is freed. */
    public static final int IDLE_STEPS_BEFORE_FREE = 3;

    private final Reuse reuse;
    /** Pooled buffers not in use, as arrays owning them, by data type and length. */
    private final Map<Key, ArrayDeque<INDArray>> free = new HashMap<>();
    /** Arrays handed out and not yet released → the pooled array whose buffer they view. */
    private final Map<INDArray, INDArray> inUse = new IdentityHashMap<>();
    private final Map<INDArray, Long> lastUsed = new IdentityHashMap<>();
    /** Pooled arrays released in this step while something else still shared their buffer. */
    private final List<INDArray> releasedThisStep = new ArrayList<>();
    /** Buffers handed out in this step (for {@link #owns}). */
    private final Set<DataBuffer> stepBuffers = Collections.newSetFromMap(new IdentityHashMap<>());
    private long step;
    private long allocations;
    private long reuses;
    private long pooledBytes;

    /** @param reuse when released arrays may be handed out again */
    public StepArrayPool(Reuse reuse) {
        this.reuse = Objects.requireNonNull(reuse, "reuse");
    }

    @Override
    public INDArray allocate(boolean detached, DataType dataType, long... shape) {
        return allocate(detached, dataType, 'c', shape);
    }

    @Override
    public INDArray allocate(boolean detached, LongShapeDescriptor descriptor) {
        if (descriptor.isEmpty()) {
            return Nd4j.create(descriptor, false);
        }
        return allocate(detached, descriptor.dataType(), descriptor.getOrder(), descriptor.getShape());
    }

    private INDArray allocate(boolean detached, DataType dataType, char order, long[] shape) {
        if (reuse == Reuse.NONE || detached || shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d <= 0)) {
            // requested outputs may outlive the step; scalars and empty arrays are not worth pooling
            return Nd4j.createUninitializedDetached(dataType, order, shape);
        }
        long length = 1;
        for (long d : shape) {
            length = Math.multiplyExact(length, d);
        }
        Key key = new Key(dataType, length);
        ArrayDeque<INDArray> q = free.get(key);
        INDArray pooled = q == null ? null : q.pollFirst();
        INDArray arr;
        if (pooled == null) {
            pooled = Nd4j.createUninitializedDetached(dataType, order, shape);
            arr = pooled;
            allocations++;
            pooledBytes += pooled.length() * dataType.width();
        } else {
            // a new array object (a new id) even for the same shape: see the class comment
            arr = Nd4j.create(pooled.data(), shape, Nd4j.getStrides(shape, order), 0, order, dataType);
            reuses++;
        }
        inUse.put(arr, pooled);
        stepBuffers.add(pooled.data());
        lastUsed.put(pooled, step);
        return arr;
    }

    @Override
    public void release(INDArray array) {
        INDArray pooled = array == null ? null : inUse.remove(array);
        if (pooled == null) {
            return; // not ours (placeholder, parameter, requested output) or already released
        }
        if (reuse == Reuse.WITHIN_STEP && Nd4j.getExecutioner().useCount(array.data()) <= 1) {
            offer(pooled);
        } else {
            releasedThisStep.add(pooled);
        }
    }

    /**
     * Marks the end of a step: every array handed out in it becomes reusable, and arrays idle for
     * {@value #IDLE_STEPS_BEFORE_FREE} steps are freed. Call only when nothing from the step's
     * session (except requested outputs) is referenced any more.
     */
    public void endStep() {
        for (INDArray a : releasedThisStep) {
            offer(a);
        }
        releasedThisStep.clear();
        for (INDArray a : inUse.values()) {
            offer(a);
        }
        inUse.clear();
        stepBuffers.clear();
        step++;
        for (Iterator<ArrayDeque<INDArray>> qs = free.values().iterator(); qs.hasNext();) {
            ArrayDeque<INDArray> q = qs.next();
            for (Iterator<INDArray> it = q.iterator(); it.hasNext();) {
                INDArray a = it.next();
                if (step - lastUsed.get(a) > IDLE_STEPS_BEFORE_FREE) {
                    it.remove();
                    lastUsed.remove(a);
                    pooledBytes -= a.length() * a.dataType().width();
                    a.close();
                }
            }
            if (q.isEmpty()) {
                qs.remove();
            }
        }
    }

    private void offer(INDArray a) {
        // last in, first out: the most recently used array is the likeliest to be in the CPU caches
        free.computeIfAbsent(new Key(a.dataType(), a.length()), k -> new ArrayDeque<>()).addFirst(a);
    }

    /** Whether {@code array} views one of the buffers the pool handed out in the current step. */
    public boolean owns(INDArray array) {
        return stepBuffers.contains(array.data());
    }

    /** Arrays created so far (each one a fresh allocation). */
    public long allocations() {
        return allocations;
    }

    /** Allocations served from the pool. */
    public long reuses() {
        return reuses;
    }

    /** Bytes held by the pool (in use or free). */
    public long pooledBytes() {
        return pooledBytes;
    }

    @Override
    public void close() {
        endStep();
        for (ArrayDeque<INDArray> q : free.values()) {
            for (INDArray a : q) {
                a.close();
            }
        }
        free.clear();
        lastUsed.clear();
        pooledBytes = 0;
    }

    /** Pool key: buffers serve any shape of their data type and element count. */
    private record Key(DataType type, long length) {
    }
}
