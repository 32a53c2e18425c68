package org.erasediff.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class GradientVectorsTest {

    // a = ([1, 2], [[3], [4]]), b = ([5, -1], [[0], [2]])
    private static List<INDArray> a() {
        return List.of(Nd4j.createFromArray(1.0, 2.0), Nd4j.createFromArray(new double[][]{{3.0}, {4.0}}));
    }

    private static List<INDArray> b() {
        return List.of(Nd4j.createFromArray(5.0, -1.0), Nd4j.createFromArray(new double[][]{{0.0}, {2.0}}));
    }

    @Test
    void dotAndNormsSpanAllArrays() {
        // 1*5 + 2*(-1) + 3*0 + 4*2 = 11
        assertEquals(11.0, GradientVectors.dot(a(), b()), 1e-12);
        // 1 + 4 + 9 + 16 = 30
        assertEquals(30.0, GradientVectors.squaredNorm(a()), 1e-12);
        assertEquals(Math.sqrt(30.0), GradientVectors.norm(a()), 1e-12);
    }

    @Test
    void reductionsAccumulateInDoubleForFloatArrays() {
        // 1e4² + 1 + 1e4² = 200000001 is not representable in float (spacing 16 there)
        List<INDArray> x = List.of(Nd4j.createFromArray(1e4f, 1f), Nd4j.createFromArray(1e4f));
        assertEquals(200_000_001.0, GradientVectors.squaredNorm(x), 0.0);
    }

    @Test
    void viewsAndFortranOrderAreReadByLogicalIndex() {
        INDArray matrix = Nd4j.createFromArray(new double[][]{{1, 2, 3}, {4, 5, 6}});
        INDArray column = matrix.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 2)); // [[2],[5]]
        INDArray fOrder = Nd4j.createFromArray(new double[][]{{7}, {8}}).dup('f');
        assertEquals(2 * 7 + 5 * 8, GradientVectors.dot(List.of(column), List.of(fOrder)), 1e-12);

        GradientVectors.addScaledInPlace(List.of(column), 2.0, List.of(fOrder));
        assertArrayEquals(new double[]{1, 16, 3, 4, 21, 6}, matrix.ravel().toDoubleVector(), 1e-12);
    }

    @Test
    void addScaledAndScaleWorkInPlace() {
        List<INDArray> target = a();
        INDArray first = target.get(0);
        GradientVectors.addScaledInPlace(target, -0.5, b());
        assertArrayEquals(new double[]{-1.5, 2.5}, first.toDoubleVector(), 1e-12);
        assertArrayEquals(new double[]{3.0, 3.0}, target.get(1).ravel().toDoubleVector(), 1e-12);

        GradientVectors.scaleInPlace(target, 2.0);
        assertArrayEquals(new double[]{-3.0, 5.0}, first.toDoubleVector(), 1e-12);
        assertArrayEquals(new double[]{6.0, 6.0}, target.get(1).ravel().toDoubleVector(), 1e-12);
    }

    @Test
    void addScaledAcceptsTheSameListTwice() {
        List<INDArray> x = a();
        GradientVectors.addScaledInPlace(x, 1.0, x);
        assertArrayEquals(new double[]{2.0, 4.0}, x.get(0).toDoubleVector(), 1e-12);
    }

    @Test
    void copyIntoAndAllocateLikeSnapshotAndRestore() {
        List<INDArray> params = a();
        List<INDArray> snapshot = GradientVectors.allocateLike(params);
        assertNotSame(params.get(0), snapshot.get(0));
        assertArrayEquals(params.get(1).shape(), snapshot.get(1).shape());
        assertEquals(DataType.DOUBLE, snapshot.get(0).dataType());

        GradientVectors.scaleInPlace(params, 10.0);
        assertArrayEquals(new double[]{1.0, 2.0}, snapshot.get(0).toDoubleVector(), 1e-12);

        GradientVectors.copyInto(snapshot, params);
        assertArrayEquals(new double[]{1.0, 2.0}, params.get(0).toDoubleVector(), 1e-12);
        assertArrayEquals(new double[]{3.0, 4.0}, params.get(1).ravel().toDoubleVector(), 1e-12);
    }

    @Test
    void mismatchedListsAreRejectedWithTheirIndex() {
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> GradientVectors.dot(a(), List.of(Nd4j.createFromArray(1.0, 2.0))));
        assertTrue(size.getMessage().contains("same number of arrays, found 2 and 1"), size.getMessage());

        List<INDArray> wrongShape = List.of(Nd4j.createFromArray(1.0, 2.0), Nd4j.createFromArray(1.0, 2.0));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> GradientVectors.addScaledInPlace(a(), 1.0, wrongShape));
        assertTrue(shape.getMessage().contains("target[1] and addend[1] must have the same shape"), shape.getMessage());

        List<INDArray> floats = List.of(Nd4j.createFromArray(1f, 2f), Nd4j.createFromArray(new float[][]{{3f}, {4f}}));
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> GradientVectors.dot(a(), floats));
        assertTrue(type.getMessage().contains("same data type, found DOUBLE and FLOAT"), type.getMessage());

        IllegalArgumentException scale = assertThrows(IllegalArgumentException.class,
                () -> GradientVectors.scaleInPlace(a(), Double.NaN));
        assertTrue(scale.getMessage().contains("s must be finite, was NaN"), scale.getMessage());
    }

    @Test
    void copyIntoCastsBetweenDataTypes() {
        List<INDArray> floats = List.of(Nd4j.createFromArray(0.5f, 1.5f), Nd4j.createFromArray(new float[][]{{2f}, {3f}}));
        List<INDArray> doubles = a();
        GradientVectors.copyInto(floats, doubles);
        assertArrayEquals(new double[]{0.5, 1.5}, doubles.get(0).toDoubleVector(), 0.0);
    }
}
