package org.erasediff.eval.metrics;

import java.util.Random;

/** Seeded synthetic matrices for the metric tests. */
final class TestData {

    private TestData() {
    }

    /** {@code n} samples of {@code N(mean·1, scale²·I)} in {@code d} dimensions. */
    static double[][] gaussian(int n, int d, double mean, double scale, long seed) {
        Random r = new Random(seed);
        double[][] m = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                m[i][j] = mean + scale * r.nextGaussian();
            }
        }
        return m;
    }

    /** A random symmetric positive definite matrix {@code B·Bᵀ + eps·I}. */
    static double[][] randomSpd(int d, double eps, long seed) {
        Random r = new Random(seed);
        double[][] b = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                b[i][j] = r.nextGaussian();
            }
        }
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += b[i][k] * b[j][k];
                }
                a[i][j] = s + (i == j ? eps : 0);
            }
        }
        return a;
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int m = b[0].length;
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < b.length; k++) {
                for (int j = 0; j < m; j++) {
                    out[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return out;
    }

    static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    /** Orthonormal columns from Gram–Schmidt on a random matrix. */
    static double[][] randomOrthogonal(int d, long seed) {
        Random r = new Random(seed);
        double[][] cols = new double[d][d];
        for (int c = 0; c < d; c++) {
            double[] v = new double[d];
            for (int i = 0; i < d; i++) {
                v[i] = r.nextGaussian();
            }
            for (int p = 0; p < c; p++) {
                double dot = Matrices.dot(v, cols[p]);
                for (int i = 0; i < d; i++) {
                    v[i] -= dot * cols[p][i];
                }
            }
            double norm = Math.sqrt(Matrices.dot(v, v));
            for (int i = 0; i < d; i++) {
                v[i] /= norm;
            }
            cols[c] = v;
        }
        return TestData.transpose(cols);
    }
}
