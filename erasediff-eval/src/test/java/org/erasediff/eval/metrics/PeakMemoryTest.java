package org.erasediff.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PeakMemoryTest {

    @Test
    void resetMakesThePeakForgetMemoryFreedBefore() {
        assumeTrue(PeakMemory.peakRssBytes().isPresent(), "needs /proc/self/status");
        INDArray big = Nd4j.create(DataType.FLOAT, 75_000_000L); // 300 MB, touched
        big.assign(1f);
        long withBig = PeakMemory.peakRssBytes().orElseThrow();
        big.close();
        assumeTrue(PeakMemory.resetPeakRss(), "kernel refuses clear_refs");
        long after = PeakMemory.peakRssBytes().orElseThrow();
        assertTrue(after < withBig - 200L * 1024 * 1024,
                "peak after reset " + (after >> 20) + " MB, with the array " + (withBig >> 20) + " MB");
    }
}
