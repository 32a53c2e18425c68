package org.erasediff.dl4j.memory;

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
        assertTrue((c == a && d == b) || (c == b && d == a), "both arrays of the last step are reused");
        assertEquals(2, pool.allocations());
        assertEquals(2, pool.reuses());
        assertEquals(2 * 20 * 4, pool.pooledBytes());
    }

    @Test
    void withinStepPoolReusesReleasedArraysAtOnceButNeverForeignOrDetachedOnes() {
        StepArrayPool pool = new StepArrayPool(StepArrayPool.Reuse.WITHIN_STEP);
        INDArray a = pool.allocate(false, DataType.FLOAT, 3, 3);
        pool.release(a);
        assertSame(a, pool.allocate(false, DataType.FLOAT, 3, 3));
        assertNotSame(a, pool.allocate(false, DataType.DOUBLE, 3, 3), "data type is part of the key");
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
