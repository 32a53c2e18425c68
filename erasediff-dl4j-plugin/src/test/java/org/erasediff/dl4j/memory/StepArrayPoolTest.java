package org.erasediff.dl4j.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class StepArrayPoolTest {

    @Test
    void nextStepPoolHandsReleasedArraysOutOnlyAfterTheStep() {
        StepArrayPool pool = new StepArrayPool(StepArrayPool.Reuse.NEXT_STEP);
        INDArray a = pool.allocate(false, DataType.FLOAT, 4, 5);
        pool.release(a);
        INDArray b = pool.allocate(false, DataType.FLOAT, 4, 5);
        assertNotSame(a, b, "a released array must not be reused within the step");
        pool.endStep();
        INDArray c = pool.allocate(false, DataType.FLOAT, 4, 5);
        INDArray d = pool.allocate(false, DataType.FLOAT, 4, 5);
        assertTrue((c.data() == a.data() && d.data() == b.data()) || (c.data() == b.data() && d.data() == a.data()),
                "both buffers of the last step are reused");
        assertEquals(2, pool.allocations());
        assertEquals(2, pool.reuses());
        assertEquals(2 * 20 * 4, pool.pooledBytes());
    }

    @Test
    void withinStepPoolReusesReleasedArraysAtOnceButNeverForeignOrDetachedOnes() {
        StepArrayPool pool = new StepArrayPool(StepArrayPool.Reuse.WITHIN_STEP);
        INDArray a = pool.allocate(false, DataType.FLOAT, 3, 3);
        pool.release(a);
        assertSame(a.data(), pool.allocate(false, DataType.FLOAT, 3, 3).data());
        assertNotSame(a.data(), pool.allocate(false, DataType.DOUBLE, 3, 3).data(), "data type is part of the key");
        INDArray foreign = Nd4j.create(DataType.FLOAT, 2, 2);
        pool.release(foreign); // a fed placeholder, say: must never be handed out
        assertNotSame(foreign, pool.allocate(false, DataType.FLOAT, 2, 2));
        INDArray out = pool.allocate(true, DataType.FLOAT, 2, 2);
        pool.release(out);
        pool.endStep();
        INDArray next = pool.allocate(false, DataType.FLOAT, 2, 2);
        INDArray next2 = pool.allocate(false, DataType.FLOAT, 2, 2);
        assertNotSame(out, next, "requested outputs (detached) are never recycled");
        assertNotSame(out, next2);
        assertNotSame(foreign, next2);
    }

    @Test
    void aReleasedBufferServesAnyShapeAndOrderOfItsSizeAsAFreshView() {
        StepArrayPool pool = new StepArrayPool(StepArrayPool.Reuse.WITHIN_STEP);
        INDArray a = pool.allocate(false, DataType.FLOAT, 4, 6);
        a.assign(Nd4j.linspace(DataType.FLOAT, 1, 24, 1).reshape(4, 6));
        pool.release(a);
        long[] shape = {2, 3, 4};
        INDArray b = pool.allocate(false, org.nd4j.linalg.api.shape.LongShapeDescriptor.fromShape(shape,
                Nd4j.getStrides(shape, 'f'), 1, 'f', DataType.FLOAT, false));
        assertSame(a.data(), b.data(), "same element count: the buffer is recycled");
        assertArrayEquals(new long[] {2, 3, 4}, b.shape());
        assertEquals('f', b.ordering());
        b.assign(Nd4j.ones(DataType.FLOAT, 2, 3, 4));
        assertEquals(24.0, b.sumNumber().doubleValue(), 0.0, "the view covers the whole buffer");
        assertTrue(pool.owns(b));
        assertNotSame(a.data(), pool.allocate(false, DataType.FLOAT, 2, 3, 4).data(),
                "a buffer in use is never handed out twice");
        assertNotSame(a.data(), pool.allocate(false, DataType.FLOAT, 5, 5).data(), "other sizes get other buffers");
        pool.release(b);
        assertSame(a.data(), pool.allocate(false, DataType.FLOAT, 24).data(), "released views return the buffer");
        assertEquals(2 * 24 * 4 + 25 * 4, pool.pooledBytes(), "two buffers of 24 floats and one of 25");
    }

    /**
     * SameDiff's session releases an array at most once per array id: a recycled buffer must come back as a
     * new array object (a new id), within a step and in later steps, or its second user is never released.
     */
    @Test
    void aRecycledBufferIsHandedOutAsANewArrayEveryTime() {
        StepArrayPool pool = new StepArrayPool(StepArrayPool.Reuse.WITHIN_STEP);
        INDArray first = pool.allocate(false, DataType.FLOAT, 3, 3);
        java.util.Set<Long> ids = new java.util.HashSet<>(java.util.List.of(first.getId()));
        INDArray last = first;
        for (int use = 1; use <= 4; use++) {
            pool.release(last);
            if (use == 3) {
                pool.endStep(); // uses 3 and 4 in the next step
            }
            last = pool.allocate(false, DataType.FLOAT, 3, 3);
            assertSame(first.data(), last.data(), "use " + use + " recycles the buffer");
            assertTrue(ids.add(last.getId()), "use " + use + " is a new array object, with a new id");
        }
        assertEquals(1, pool.allocations());
        assertEquals(4, pool.reuses());
    }

    @Test
    void idleArraysAreFreedAfterAFewSteps() {
        StepArrayPool pool = new StepArrayPool(StepArrayPool.Reuse.NEXT_STEP);
        INDArray a = pool.allocate(false, DataType.FLOAT, 8);
        for (int i = 0; i < StepArrayPool.IDLE_STEPS_BEFORE_FREE; i++) {
            pool.endStep();
            assertTrue(!a.wasClosed(), "kept while recently used (step " + i + ")");
        }
        pool.endStep();
        assertTrue(a.wasClosed(), "freed after " + StepArrayPool.IDLE_STEPS_BEFORE_FREE + " idle steps");
        assertEquals(0, pool.pooledBytes());
    }

    @Test
    void rejectsANullPolicy() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> new StepArrayPool(null));
        assertTrue(e.getMessage().contains("reuse"), e.getMessage());
    }

    @Test
    void noneNeverRecycles() {
        StepArrayPool pool = new StepArrayPool(StepArrayPool.Reuse.NONE);
        INDArray a = pool.allocate(false, DataType.FLOAT, 4);
        pool.release(a);
        pool.endStep();
        assertNotSame(a, pool.allocate(false, DataType.FLOAT, 4));
        assertEquals(0, pool.reuses());
    }
}
