package org.erasediff.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class FrechetDistanceTest {

    @Test
    void unbiasedCovarianceOfKnownData() {
        GaussianStatistics s = GaussianStatistics.of(new double[][] {{1, 2}, {3, 6}, {5, 4}});
        assertArrayEquals(new double[] {3, 4}, s.mean(), 1e-15);
        assertArrayEquals(new double[] {4, 2}, s.covariance()[0], 1e-15);
        assertArrayEquals(new double[] {2, 4}, s.covariance()[1], 1e-15);
        assertEquals(3, s.count());
    }

    @Test
    void zeroForIdenticalFeatureSets() {
        double[][] x = TestData.gaussian(300, 12, 0.5, 2.0, 1);
        double trace = 12 * 4.0;
        assertEquals(0, FrechetDistance.compute(x, x), 1e-10 * trace);
    }

    @Test
    void shiftOfFeaturesAddsSquaredNorm() {
        double[][] x = TestData.gaussian(200, 5, 0, 1, 2);
        double[] c = {1, -2, 0.5, 0, 3};
        double[][] y = new double[x.length][5];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < 5; j++) {
                y[i][j] = x[i][j] + c[j];
            }
        }
        assertEquals(1 + 4 + 0.25 + 9, FrechetDistance.compute(x, y), 1e-9);
    }

    @Test
    void closedFormForDiagonalCovariances() {
        double[] mu1 = {0, 1, 2};
        double[] mu2 = {1, 1, 0};
        double[] s1 = {1, 4, 0.25};
        double[] s2 = {9, 1, 0.25};
        double expected = 1 + 0 + 4;
        for (int i = 0; i < 3; i++) {
            expected += Math.pow(Math.sqrt(s1[i]) - Math.sqrt(s2[i]), 2);
        }
        double fid = FrechetDistance.compute(stats(mu1, diag(s1)), stats(mu2, diag(s2)));
        assertEquals(expected, fid, 1e-6 * expected);
    }

    @Test
    void closedFormForCommutingCovariances() {
        int d = 6;
        double[][] q = TestData.randomOrthogonal(d, 5);
        double[] e1 = {0.1, 0.5, 1, 2, 3, 7};
        double[] e2 = {4, 0.2, 1, 5, 0.01, 2};
        double[][] sigma1 = TestData.multiply(TestData.multiply(q, diag(e1)), TestData.transpose(q));
        double[][] sigma2 = TestData.multiply(TestData.multiply(q, diag(e2)), TestData.transpose(q));
        double[] mu = new double[d];
        double expected = 0;
        for (int i = 0; i < d; i++) {
            expected += Math.pow(Math.sqrt(e1[i]) - Math.sqrt(e2[i]), 2);
        }
        double fid = FrechetDistance.compute(stats(mu, symmetrised(sigma1)), stats(mu, symmetrised(sigma2)));
        assertEquals(expected, fid, 1e-6 * expected);
    }

    @Test
    void nonCommutingTwoByTwoMatchesClosedForm() {
        // For a 2x2 matrix A with positive eigenvalues: Tr √A = √(Tr A + 2√det A); here A = Σ1·Σ2.
        double[][] sigma1 = {{2, 0.5}, {0.5, 1}};
        double[][] sigma2 = {{1, -0.7}, {-0.7, 3}};
        double[][] a = TestData.multiply(sigma1, sigma2);
        double det = a[0][0] * a[1][1] - a[0][1] * a[1][0];
        double traceSqrt = Math.sqrt(a[0][0] + a[1][1] + 2 * Math.sqrt(det));
        double expected = 0.25 + 2 + 1 + 1 + 3 - 2 * traceSqrt;
        double fid = FrechetDistance.compute(stats(new double[] {0.5, 0}, sigma1), stats(new double[] {0, 0}, sigma2));
        assertEquals(expected, fid, 1e-6 * expected);
    }

    @Test
    void nonCommutingCaseMatchesDenmanBeaversSquareRoot() {
        int d = 6;
        double[][] sigma1 = TestData.randomSpd(d, 1, 21);
        double[][] sigma2 = TestData.randomSpd(d, 0.5, 22);
        double[] mu1 = {1, 0, 0, 2, 0, 0};
        double[] mu2 = new double[d];
        double[][] root = denmanBeaversSqrt(TestData.multiply(sigma1, sigma2));
        double expected = 5;
        for (int i = 0; i < d; i++) {
            expected += sigma1[i][i] + sigma2[i][i] - 2 * root[i][i];
        }
        double fid = FrechetDistance.compute(stats(mu1, sigma1), stats(mu2, sigma2));
        assertEquals(expected, fid, 1e-6 * expected);
    }

    @Test
    void indarrayAndCachedStatisticsGiveSameResult() throws Exception {
        double[][] x = TestData.gaussian(100, 4, 0, 1, 31);
        double[][] y = TestData.gaussian(120, 4, 0.3, 1.5, 32);
        double direct = FrechetDistance.compute(x, y);
        assertEquals(direct, FrechetDistance.compute(Nd4j.createFromArray(x), Nd4j.createFromArray(y)), 1e-12);

        ObjectMapper mapper = new ObjectMapper();
        GaussianStatistics cached = GaussianStatistics.of(x);
        GaussianStatistics reloaded = mapper.readValue(mapper.writeValueAsString(cached), GaussianStatistics.class);
        assertEquals(cached, reloaded);
        assertEquals(direct, FrechetDistance.compute(reloaded, GaussianStatistics.of(y)), 1e-12);
        assertTrue(direct > 0.3, "shifted and scaled sets must be apart, found " + direct);
    }

    @Test
    void rejectsMismatchedDimensionsAndTooFewSamples() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FrechetDistance.compute(new double[][] {{1, 2}, {3, 4}}, new double[][] {{1}, {2}}));
        assertTrue(e.getMessage().contains("2 and 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GaussianStatistics.of(new double[][] {{1, 2}}));
        assertThrows(IllegalArgumentException.class,
                () -> new GaussianStatistics(new double[] {0, 0}, new double[][] {{1}}, 5));
    }

    private static GaussianStatistics stats(double[] mean, double[][] cov) {
        return new GaussianStatistics(mean, cov, 100);
    }

    private static double[][] diag(double[] v) {
        double[][] m = new double[v.length][v.length];
        for (int i = 0; i < v.length; i++) {
            m[i][i] = v[i];
        }
        return m;
    }

    private static double[][] symmetrised(double[][] m) {
        double[][] s = new double[m.length][m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m.length; j++) {
                s[i][j] = 0.5 * (m[i][j] + m[j][i]);
            }
        }
        return s;
    }

    /** Principal square root of a (non-symmetric) matrix with positive eigenvalues. */
    private static double[][] denmanBeaversSqrt(double[][] a) {
        int n = a.length;
        double[][] y = a;
        double[][] z = new double[n][n];
        for (int i = 0; i < n; i++) {
            z[i][i] = 1;
        }
        for (int iter = 0; iter < 100; iter++) {
            double[][] yInv = inverse(y);
            double[][] zInv = inverse(z);
            double[][] y2 = new double[n][n];
            double[][] z2 = new double[n][n];
            double change = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    y2[i][j] = 0.5 * (y[i][j] + zInv[i][j]);
                    z2[i][j] = 0.5 * (z[i][j] + yInv[i][j]);
                    change = Math.max(change, Math.abs(y2[i][j] - y[i][j]));
                }
            }
            y = y2;
            z = z2;
            if (change < 1e-14) {
                break;
            }
        }
        return y;
    }

    private static double[][] inverse(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1;
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] tmp = m[col];
            m[col] = m[pivot];
            m[pivot] = tmp;
            double p = m[col][col];
            for (int j = 0; j < 2 * n; j++) {
                m[col][j] /= p;
            }
            for (int r = 0; r < n; r++) {
                if (r != col) {
                    double f = m[r][col];
                    for (int j = 0; j < 2 * n; j++) {
                        m[r][j] -= f * m[col][j];
                    }
                }
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], n, inv[i], 0, n);
        }
        return inv;
    }
}
