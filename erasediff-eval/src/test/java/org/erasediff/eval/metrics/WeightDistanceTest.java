package org.erasediff.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class WeightDistanceTest {

    @Test
    void overallAndPerParameterDistances() {
        Map<String, INDArray> reference = Map.of(
                "w", Nd4j.createFromArray(new float[][] {{1, 2}, {2, 0}}),
                "b", Nd4j.createFromArray(0f, 0f),
                "g", Nd4j.createFromArray(0.0, 0.0));
        Map<String, INDArray> other = Map.of(
                "w", Nd4j.createFromArray(new float[][] {{1, 2}, {6, 0}}),
                "b", Nd4j.createFromArray(0f, 0f),
                "g", Nd4j.createFromArray(3.0, 0.0));
        WeightDistanceResult r = WeightDistance.compare(reference, other);
        assertEquals(List.of("b", "g", "w"), List.copyOf(r.perParameter().keySet()));
        ParameterDistance w = r.perParameter().get("w");
        assertEquals(4, w.l2(), 1e-12);
        assertEquals(3, w.referenceNorm(), 1e-12);
        assertEquals(4.0 / 3, w.relativeChange(), 1e-12);
        assertEquals(4, w.count());
        assertEquals(0, r.perParameter().get("b").relativeChange());
        assertEquals(Double.POSITIVE_INFINITY, r.perParameter().get("g").relativeChange());
        assertEquals(5, r.l2(), 1e-12);
        assertEquals(3, r.referenceNorm(), 1e-12);
        assertEquals(5.0 / 3, r.relativeChange(), 1e-12);
        assertEquals(5, r.toScalars().get("wd_l2"), 1e-12);
    }

    @Test
    void stridedViewsAreReadCorrectly() {
        INDArray base = Nd4j.createFromArray(new double[][] {{1, 10}, {2, 20}, {2, 30}});
        INDArray column = base.getColumn(0); // view [1, 2, 2], not contiguous
        WeightDistanceResult r = WeightDistance.compare(Map.of("v", column),
                Map.of("v", Nd4j.createFromArray(1.0, 2.0, 2.0).addi(0)));
        assertEquals(0, r.l2());
        assertEquals(3, r.referenceNorm(), 1e-12);
        assertEquals(1, column.getDouble(0)); // input untouched
    }

    @Test
    void rejectsDifferentNamesAndShapes() {
        INDArray a = Nd4j.zeros(2, 3);
        IllegalArgumentException names = assertThrows(IllegalArgumentException.class,
                () -> WeightDistance.compare(Map.of("w", a, "b", a), Map.of("w", a, "c", a)));
        assertTrue(names.getMessage().contains("missing in other [b]") && names.getMessage().contains("[c]"),
                names.getMessage());
        IllegalArgumentException shapes = assertThrows(IllegalArgumentException.class,
                () -> WeightDistance.compare(Map.of("w", a), Map.of("w", Nd4j.zeros(3, 2))));
        assertTrue(shapes.getMessage().contains("'w'") && shapes.getMessage().contains("[2, 3]")
                && shapes.getMessage().contains("[3, 2]"), shapes.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WeightDistance.compare(Map.of(), Map.of()));
    }
}
