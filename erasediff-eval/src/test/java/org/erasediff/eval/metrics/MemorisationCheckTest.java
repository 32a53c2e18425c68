package org.erasediff.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MemorisationCheckTest {

    @Test
    void findsPlantedNearDuplicate() {
        double[][] forgotten = TestData.gaussian(3, 16, 0, 0.5, 1);
        double[][] generated = TestData.gaussian(20, 16, 0, 0.5, 2);
        double[][] noise = TestData.gaussian(1, 16, 0, 0.01, 3);
        for (int j = 0; j < 16; j++) {
            generated[7][j] = forgotten[1][j] + noise[0][j];
        }
        double[][] forgottenFeatures = {{0, 0}, {1, 1}, {2, 2}};
        double[][] generatedFeatures = new double[20][2];
        generatedFeatures[7] = new double[] {4, 5};

        MemorisationResult r = new MemorisationCheck(0.2).check(forgotten, generated, forgottenFeatures, generatedFeatures);
        NearestMatch m = r.matches().get(1);
        assertEquals(1, m.forgottenIndex());
        assertEquals(7, m.generatedIndex());
        assertEquals(Math.sqrt(Matrices.squaredDistance(forgotten[1], generated[7])), m.pixelL2(), 1e-15);
        assertTrue(m.pixelL2() < 0.2, "planted copy distance " + m.pixelL2());
        assertEquals(5, m.featureDistance(), 1e-12); // (1,1) to (4,5)
        assertEquals(1.0 / 20, m.fractionWithinThreshold());
        assertEquals(0.0, r.matches().get(0).fractionWithinThreshold());
        assertEquals(1.0 / 20, r.fractionOfGeneratedWithinThreshold());
        assertEquals(m.pixelL2(), r.minPixelL2());
        assertTrue(m.nearCopy());
        assertEquals(1.0 / 3, r.memorisedFraction(), 1e-15, "one of three forgotten images has a near-copy");
    }

    @Test
    void imageArraysAreFlattenedPerImage() {
        INDArray forgotten = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 2, 1, 4, 4);
        INDArray generated = Nd4j.concat(0, Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 3, 1, 4, 4).addi(5),
                forgotten.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)).dup());
        MemorisationResult r = new MemorisationCheck(1e-6).check(forgotten, generated);
        assertEquals(3, r.matches().get(0).generatedIndex());
        assertEquals(0.0, r.matches().get(0).pixelL2());
        assertTrue(Double.isNaN(r.matches().get(0).featureDistance()));
        assertEquals(0.25, r.fractionOfGeneratedWithinThreshold());
    }

    @Test
    void rejectsBadInput() {
        double[][] a = {{0, 1}};
        assertThrows(IllegalArgumentException.class, () -> new MemorisationCheck(0));
        assertThrows(IllegalArgumentException.class, () -> new MemorisationCheck(0.1).check(a, new double[][] {{0, 1, 2}}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MemorisationCheck(0.1).check(a, a, a, null));
        assertTrue(e.getMessage().contains("together"), e.getMessage());
    }
}
