package org.erasediff.eval.metrics;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Package-private helpers shared by the metrics: conversions, validation and small kernels. */
final class Matrices {

    private Matrices() {
    }

    /**
     * Copies an array {@code [N, ...]} into a fresh {@code double[N][prod(...)]}, one flattened
     * row (C order) per sample. The input is not modified.
     */
    static double[][] toRows(INDArray array, String name) {
        if (array == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (array.rank() < 2) {
            throw new IllegalArgumentException(name + " must have shape [N, ...] with rank >= 2, found rank "
                    + array.rank() + " " + java.util.Arrays.toString(array.shape()));
        }
        long rows = array.size(0);
        long cols = array.length() / Math.max(rows, 1);
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException(name + " must be non-empty, found shape "
                    + java.util.Arrays.toString(array.shape()));
        }
        INDArray matrix = array.rank() == 2 ? array : array.reshape('c', new long[] {rows, cols});
        double[][] out = matrix.toDoubleMatrix();
        requireFinite(out, name);
        return out;
    }

    /**
     * Checks that {@code m} is a non-empty rectangular matrix of finite values.
     *
     * @return the number of columns
     */
    static int requireMatrix(double[][] m, String name) {
        if (m == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (m.length == 0) {
            throw new IllegalArgumentException(name + " must have at least one row, found 0");
        }
        int cols = -1;
        for (int i = 0; i < m.length; i++) {
            if (m[i] == null) {
                throw new IllegalArgumentException(name + " row " + i + " must not be null");
            }
            if (cols < 0) {
                cols = m[i].length;
            } else if (m[i].length != cols) {
                throw new IllegalArgumentException(name + " must be rectangular: row 0 has " + cols
                        + " columns, row " + i + " has " + m[i].length);
            }
        }
        if (cols == 0) {
            throw new IllegalArgumentException(name + " must have at least one column, found 0");
        }
        requireFinite(m, name);
        return cols;
    }

    private static void requireFinite(double[][] m, String name) {
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[i].length; j++) {
                if (!Double.isFinite(m[i][j])) {
                    throw new IllegalArgumentException(name + " must hold finite values, found " + m[i][j]
                            + " at [" + i + ", " + j + "]");
                }
            }
        }
    }

    /** Checks that two matrices have the same number of columns. */
    static void requireSameWidth(int colsA, String nameA, int colsB, String nameB) {
        if (colsA != colsB) {
            throw new IllegalArgumentException(nameA + " and " + nameB
                    + " must have the same feature dimension, found " + colsA + " and " + colsB);
        }
    }

    /** Squared Euclidean distance, computed from differences (exactly 0 for equal rows). */
    static double squaredDistance(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }

    /** Dot product of two equal-length vectors. */
    static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
    /** Matrix product {@code a·b} of square {@code n×n} matrices into a new matrix. */
    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            double[] ai = a[i];
            double[] oi = out[i];
            for (int k = 0; k < n; k++) {
                double aik = ai[k];
                if (aik == 0) {
                    continue;
                }
                double[] bk = b[k];
                for (int j = 0; j < n; j++) {
                    oi[j] += aik * bk[j];
                }
            }
        }
        return out;
    }
}
