package org.erasediff.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SymmetricEigenTest {

    @Test
    void decomposesRandomSymmetricMatrix() {
        int n = 24;
        double[][] a = TestData.randomSpd(n, 0, 11);
        for (int i = 0; i < n; i++) {
            a[i][i] -= 10; // make it indefinite
        }
        SymmetricEigen eig = SymmetricEigen.decompose(a);
        double[] lambda = eig.eigenvalues();
        double[][] v = eig.eigenvectors();
        double scale = 0;
        for (double l : lambda) {
            scale = Math.max(scale, Math.abs(l));
        }
        for (int i = 1; i < n; i++) {
            assertTrue(lambda[i - 1] <= lambda[i], "ascending order");
        }
        assertTrue(lambda[0] < 0, "test matrix should be indefinite, smallest eigenvalue " + lambda[0]);
        double[][] av = TestData.multiply(a, v);
        double[][] vtv = TestData.multiply(TestData.transpose(v), v);
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                assertEquals(v[r][c] * lambda[c], av[r][c], 1e-12 * scale, "A·v = λ·v at " + r + "," + c);
                assertEquals(r == c ? 1.0 : 0.0, vtv[r][c], 1e-12, "orthonormal at " + r + "," + c);
            }
        }
        assertArrayEquals(lambda, SymmetricEigen.eigenvalues(a), 1e-12 * scale);
    }

    @Test
    void repeatedEigenvaluesKeepAnOrthonormalBasis() {
        int n = 40;
        double[][] q = TestData.randomOrthogonal(n, 9);
        double[] expected = new double[n];
        double[][] scaledQ = new double[n][n];
        for (int i = 0; i < n; i++) {
            expected[i] = i < 20 ? 1 : (i < 35 ? 2.5 : 1e-12);
        }
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                scaledQ[r][c] = q[r][c] * expected[c];
            }
        }
        double[][] a = TestData.multiply(scaledQ, TestData.transpose(q));
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < r; c++) {
                a[r][c] = a[c][r];
            }
        }
        SymmetricEigen eig = SymmetricEigen.decompose(a);
        double[] sorted = expected.clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(sorted, eig.eigenvalues(), 1e-13);
        double[][] v = eig.eigenvectors();
        double[][] vtv = TestData.multiply(TestData.transpose(v), v);
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                assertEquals(r == c ? 1.0 : 0.0, vtv[r][c], 1e-13, "orthonormal at " + r + "," + c);
            }
        }
    }

    @Test
    void knownTwoByTwo() {
        double[] lambda = SymmetricEigen.eigenvalues(new double[][] {{2, 1}, {1, 2}});
        assertArrayEquals(new double[] {1, 3}, lambda, 1e-14);
    }

    @Test
    void matrixSquareRootSquaresBack() {
        double[][] a = TestData.randomSpd(10, 0.5, 3);
        double[][] root = SymmetricEigen.decompose(a).matrixFunction(Math::sqrt);
        double[][] back = TestData.multiply(root, root);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], back[i], 1e-10);
        }
    }

    @Test
    void handlesZeroAndRankDeficientMatrices() {
        assertArrayEquals(new double[] {0, 0, 0}, SymmetricEigen.eigenvalues(new double[3][3]), 0);
        // rank one: u·uᵀ with u = (1, 2, 2): eigenvalues 0, 0, 9
        double[] u = {1, 2, 2};
        double[][] a = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                a[i][j] = u[i] * u[j];
            }
        }
        assertArrayEquals(new double[] {0, 0, 9}, SymmetricEigen.eigenvalues(a), 1e-13);
    }

    @Test
    void rejectsInvalidMatrices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SymmetricEigen.decompose(new double[][] {{1, 2}, {0, 1}}));
        assertTrue(e.getMessage().contains("symmetric"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.decompose(new double[][] {{1, 2}}));
        assertThrows(IllegalArgumentException.class,
                () -> SymmetricEigen.decompose(new double[][] {{Double.NaN}}));
    }
}
