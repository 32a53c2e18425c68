package org.erasediff.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class PrecisionRecallTest {

    @Test
    void identicalSetsGiveOneAndOne() {
        double[][] x = TestData.gaussian(60, 4, 0, 1, 1);
        PrecisionRecallResult pr = PrecisionRecall.compute(x, x);
        assertEquals(1.0, pr.precision());
        assertEquals(1.0, pr.recall());
        assertEquals(3, pr.k());
    }

    @Test
    void aPreparedReferenceServesSeveralGeneratedSetsWithTheSameResults() {
        double[][] real = TestData.gaussian(80, 4, 0, 1, 1);
        PrecisionRecall.Reference reference = new PrecisionRecall.Reference(real, 3);
        for (int seed = 2; seed < 5; seed++) {
            double[][] generated = TestData.gaussian(50, 4, 0.5 * (seed - 2), 1, seed);
            assertEquals(PrecisionRecall.compute(real, generated, 3), PrecisionRecall.compute(reference, generated));
        }
        assertThrows(IllegalArgumentException.class,
                () -> PrecisionRecall.compute(reference, TestData.gaussian(50, 5, 0, 1, 9)), "width mismatch");
        assertThrows(IllegalArgumentException.class, () -> new PrecisionRecall.Reference(real, 0));
    }

    @Test
    void farApartSetsGiveZeroAndZero() {
        double[][] real = TestData.gaussian(60, 4, 0, 1, 1);
        double[][] generated = TestData.gaussian(60, 4, 100, 1, 2);
        PrecisionRecallResult pr = PrecisionRecall.compute(real, generated);
        assertEquals(0.0, pr.precision());
        assertEquals(0.0, pr.recall());
    }

    @Test
    void halfOverlapGivesAboutHalf() {
        // real: clusters A and B; generated: cluster A (fresh samples) and a far cluster C
        double[][] a1 = TestData.gaussian(100, 3, 0, 1, 1);
        double[][] b = TestData.gaussian(100, 3, 50, 1, 2);
        double[][] a2 = TestData.gaussian(100, 3, 0, 1, 3);
        double[][] c = TestData.gaussian(100, 3, -50, 1, 4);
        PrecisionRecallResult pr = PrecisionRecall.compute(concat(a1, b), concat(a2, c));
        assertTrue(pr.precision() >= 0.4 && pr.precision() <= 0.5, "precision " + pr.precision());
        assertTrue(pr.recall() >= 0.4 && pr.recall() <= 0.5, "recall " + pr.recall());
    }

    @Test
    void handComputedOneDimensionalExample() {
        // k = 1: real radii are all 1; generated radii 3.4, 3.4, 6.1, 10
        double[][] real = {{0}, {1}, {2}, {3}};
        double[][] generated = {{0.5}, {3.9}, {10}, {20}};
        PrecisionRecallResult pr = PrecisionRecall.compute(real, generated, 1);
        assertEquals(0.5, pr.precision());
        assertEquals(1.0, pr.recall());
        PrecisionRecallResult viaNd4j = PrecisionRecall.compute(Nd4j.createFromArray(real),
                Nd4j.createFromArray(generated), 1);
        assertEquals(pr, viaNd4j);
    }

    @Test
    void kthNeighbourRadiiExcludeTheSampleItself() {
        double[] radii = PrecisionRecall.squaredKthNeighbourDistances(new double[][] {{0}, {1}, {3}, {7}}, 2);
        assertEquals(9, radii[0]); // neighbours of 0: 1, 3
        assertEquals(4, radii[1]); // neighbours of 1: 0, 3 (distance 2)
        assertEquals(9, radii[2]); // neighbours of 3: 1, 0 (distance 3)
        assertEquals(36, radii[3]); // neighbours of 7: 3, 1 (distance 6)
    }

    @Test
    void matrixProductDistancesDecideExactlyAsDifferencesDo() {
        // ties and duplicates (integer features), a large common offset (the product form cancels
        // catastrophically there), and sets larger than one block of products (> 2^22 pairs)
        double[][] ties = rounded(TestData.gaussian(300, 3, 0, 2, 5));
        double[][] tiesGenerated = rounded(TestData.gaussian(200, 3, 0.5, 2, 6));
        System.arraycopy(ties, 0, tiesGenerated, 0, 20);
        double[][] offset = TestData.gaussian(200, 6, 1e8, 1, 7);
        double[][] offsetGenerated = TestData.gaussian(150, 6, 1e8 + 0.3, 1, 8);
        double[][] large = TestData.gaussian(2100, 4, 0, 1, 9);
        double[][] largeGenerated = TestData.gaussian(2100, 4, 0.2, 1, 10);
        double[][][] cases = {ties, tiesGenerated, offset, offsetGenerated, large, largeGenerated};
        for (int c = 0; c < cases.length; c += 2) {
            double[][] real = cases[c];
            double[][] generated = cases[c + 1];
            for (int k : new int[] {1, 3}) {
                double[] realRadii = exactKthNeighbourDistances(real, k);
                double[] generatedRadii = exactKthNeighbourDistances(generated, k);
                org.junit.jupiter.api.Assertions.assertArrayEquals(realRadii,
                        PrecisionRecall.squaredKthNeighbourDistances(real, k), "radii, case " + c + ", k " + k);
                PrecisionRecallResult pr = PrecisionRecall.compute(real, generated, k);
                assertEquals(exactCovered(generated, real, realRadii), pr.precision(), "precision, case " + c);
                assertEquals(exactCovered(real, generated, generatedRadii), pr.recall(), "recall, case " + c);
            }
        }
    }

    private static double[][] rounded(double[][] m) {
        for (double[] row : m) {
            for (int j = 0; j < row.length; j++) {
                row[j] = Math.round(row[j]);
            }
        }
        return m;
    }

    /** The definition, pair by pair from differences. */
    private static double[] exactKthNeighbourDistances(double[][] rows, int k) {
        double[] radii = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            double[] d = new double[rows.length - 1];
            int n = 0;
            for (int j = 0; j < rows.length; j++) {
                if (j != i) {
                    d[n++] = Matrices.squaredDistance(rows[i], rows[j]);
                }
            }
            java.util.Arrays.sort(d);
            radii[i] = d[k - 1];
        }
        return radii;
    }

    private static double exactCovered(double[][] queries, double[][] manifold, double[] squaredRadii) {
        int covered = 0;
        for (double[] q : queries) {
            for (int r = 0; r < manifold.length; r++) {
                if (Matrices.squaredDistance(q, manifold[r]) <= squaredRadii[r]) {
                    covered++;
                    break;
                }
            }
        }
        return (double) covered / queries.length;
    }

    @Test
    void rejectsTooFewSamplesAndBadK() {
        double[][] small = TestData.gaussian(3, 2, 0, 1, 1);
        double[][] ok = TestData.gaussian(10, 2, 0, 1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrecisionRecall.compute(small, ok));
        assertTrue(e.getMessage().contains("k=3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PrecisionRecall.compute(ok, ok, 0));
        assertThrows(IllegalArgumentException.class,
                () -> PrecisionRecall.compute(ok, TestData.gaussian(10, 3, 0, 1, 3)));
    }

    private static double[][] concat(double[][] a, double[][] b) {
        double[][] out = new double[a.length + b.length][];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
