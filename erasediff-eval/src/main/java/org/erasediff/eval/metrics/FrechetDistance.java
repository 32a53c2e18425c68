package org.erasediff.eval.metrics;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fréchet distance between Gaussian fits of two feature sets (FID when the features come from an
 * Inception network; on MNIST a domain classifier's penultimate layer is the usual substitute):
 *
 * <pre>  FID = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2·(Σ₁^{1/2}·Σ₂·Σ₁^{1/2})^{1/2})</pre>
 *
 * <p>The matrix square roots come from symmetric eigendecompositions ({@link SymmetricEigen}), so
 * the result is real by construction: tiny negative eigenvalues from rounding are clamped to zero
 * and no complex parts appear (unlike the usual {@code scipy.linalg.sqrtm} of the non-symmetric
 * product {@code Σ₁Σ₂}, which has the same trace). A result that rounding pushes just below zero is
 * returned as 0. Cost: two {@code D×D} eigenproblems and two matrix products, {@code O(D³)}.
 */
public final class FrechetDistance {

    private static final Logger LOG = LoggerFactory.getLogger(FrechetDistance.class);

    private FrechetDistance() {
    }

    /**
     * Fréchet distance between two Gaussian fits.
     *
     * @param a the first fit (for example the cached statistics of real data)
     * @param b the second fit, same dimension
     * @return the squared Fréchet distance, {@code >= 0}
     * @throws IllegalArgumentException if the dimensions differ
     */
    public static double compute(GaussianStatistics a, GaussianStatistics b) {
        if (a == null || b == null) {
            throw new IllegalArgumentException("both Gaussian statistics must be non-null, found "
                    + (a == null ? "null" : "a value") + " and " + (b == null ? "null" : "a value"));
        }
        Matrices.requireSameWidth(a.dimension(), "first statistics", b.dimension(), "second statistics");
        long start = System.nanoTime();
        double[] muA = a.mean();
        double[] muB = b.mean();
        double[][] sigmaA = a.covariance();
        double[][] sigmaB = b.covariance();
        int d = muA.length;

        double meanTerm = Matrices.squaredDistance(muA, muB);
        double traceA = 0;
        double traceB = 0;
        for (int i = 0; i < d; i++) {
            traceA += sigmaA[i][i];
            traceB += sigmaB[i][i];
        }
        double[][] sqrtA = SymmetricEigen.decompose(sigmaA)
                .matrixFunction(lambda -> Math.sqrt(Math.max(lambda, 0)));
        double[][] product = Matrices.multiply(sqrtA, Matrices.multiply(sigmaB, sqrtA));
        symmetrise(product);
        double traceSqrt = 0;
        for (double lambda : SymmetricEigen.eigenvalues(product)) {
            traceSqrt += Math.sqrt(Math.max(lambda, 0));
        }
        double fid = meanTerm + traceA + traceB - 2 * traceSqrt;
        LOG.debug("Frechet distance over D={} computed in {} ms", d, (System.nanoTime() - start) / 1_000_000);
        return Math.max(fid, 0);
    }

    /**
     * Fréchet distance between Gaussian fits of two feature matrices.
     *
     * @param a features {@code [N₁][D]}, {@code N₁ >= 2}; not modified
     * @param b features {@code [N₂][D]}, {@code N₂ >= 2}; not modified
     * @return the squared Fréchet distance, {@code >= 0}
     */
    public static double compute(double[][] a, double[][] b) {
        return compute(GaussianStatistics.of(a), GaussianStatistics.of(b));
    }

    /**
     * Fréchet distance between Gaussian fits of two feature arrays {@code [N, D]}.
     *
     * @param a features, any data type; not modified
     * @param b features, same {@code D}; not modified
     * @return the squared Fréchet distance, {@code >= 0}
     */
    public static double compute(INDArray a, INDArray b) {
        return compute(GaussianStatistics.of(a), GaussianStatistics.of(b));
    }

    private static void symmetrise(double[][] m) {
        for (int i = 0; i < m.length; i++) {
            for (int j = i + 1; j < m.length; j++) {
                double v = 0.5 * (m[i][j] + m[j][i]);
                m[i][j] = v;
                m[j][i] = v;
            }
        }
    }
}
