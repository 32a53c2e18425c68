package org.erasediff.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GradientClippingTest {

    private static List<INDArray> threeFourTwelve() {
        // global norm sqrt(9 + 16 + 144) = 13
        return List.of(Nd4j.createFromArray(3f, 4f), Nd4j.createFromArray(12f));
    }

    @Test
    void clipsToExactlyMaxNormKeepingDirection() {
        List<INDArray> g = threeFourTwelve();
        GradientClipping.Result r = GradientClipping.clipByGlobalNorm(g, 1.0);
        assertEquals(13.0, r.normBefore(), 1e-6);
        assertTrue(r.clipped());
        assertEquals(1.0 / 13.0, r.scale(), 1e-12);
        assertEquals(1.0, r.normAfter(), 1e-12);
        assertEquals(1.0, GradientVectors.norm(g), 1e-6);
        assertArrayEquals(new float[]{3f / 13f, 4f / 13f}, g.get(0).toFloatVector(), 1e-7f);
        assertArrayEquals(new float[]{12f / 13f}, g.get(1).toFloatVector(), 1e-7f);
    }

    @Test
    void leavesSmallGradientsUntouched() {
        List<INDArray> g = threeFourTwelve();
        GradientClipping.Result r = GradientClipping.clipByGlobalNorm(g, 13.5);
        assertFalse(r.clipped());
        assertEquals(1.0, r.scale());
        assertEquals(13.0, r.normAfter(), 1e-6);
        assertArrayEquals(new float[]{3f, 4f}, g.get(0).toFloatVector());
    }

    @Test
    void reportsButDoesNotApplyANonFiniteNorm() {
        List<INDArray> g = List.of(Nd4j.createFromArray(Float.NaN, 1f), Nd4j.createFromArray(2f));
        GradientClipping.Result r = GradientClipping.clipByGlobalNorm(g, 1.0);
        assertFalse(r.isFinite());
        assertFalse(r.clipped());
        assertArrayEquals(new float[]{2f}, g.get(1).toFloatVector());
    }

    @Test
    void rejectsNonPositiveMaxNorm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradientClipping.clipByGlobalNorm(threeFourTwelve(), 0.0));
        assertEquals("maxNorm must be > 0 (or +Infinity for no clipping), was 0.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipByGlobalNorm(threeFourTwelve(), Double.NaN));
    }

    @Test
    void infiniteMaxNormMeasuresWithoutClipping() {
        List<INDArray> g = threeFourTwelve();
        GradientClipping.Result r = GradientClipping.clipByGlobalNorm(g, Double.POSITIVE_INFINITY);
        assertEquals(13.0, r.normBefore(), 1e-6);
        assertFalse(r.clipped());
        assertEquals(13.0, org.erasediff.core.optim.GradientVectors.norm(g), 1e-6);
    }
}
