package org.erasediff.eval.metrics;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A Gaussian fit of a feature set: the mean, the unbiased covariance (divided by {@code N − 1})
 * and the number of samples, all in double precision.
 *
 * <p>Compute it once for the real data and reuse it for every model
 * ({@link FrechetDistance#compute(GaussianStatistics, GaussianStatistics)}); the record
 * serialises to and from JSON with Jackson, so it can be cached on disk. Arrays are copied on the
 * way in and out, so an instance is immutable.
 *
 * @param mean       the feature mean, length {@code D}
 * @param covariance the unbiased covariance {@code [D][D]}, symmetric
 * @param count      the number of samples the statistics came from, at least 2
 */
public record GaussianStatistics(double[] mean, double[][] covariance, long count) {

    /**
     * Validates and copies the statistics.
     *
     * @throws IllegalArgumentException if the sizes disagree, a value is not finite, the
     *                                  covariance is not square or {@code count < 2}
     */
    public GaussianStatistics {
        if (mean == null || mean.length == 0) {
            throw new IllegalArgumentException("mean must have at least one entry, found "
                    + (mean == null ? "null" : "0"));
        }
        int d = mean.length;
        if (covariance == null || covariance.length != d) {
            throw new IllegalArgumentException("covariance must be " + d + "x" + d + " to match the mean, found "
                    + (covariance == null ? "null" : covariance.length + " rows"));
        }
        if (count < 2) {
            throw new IllegalArgumentException("count must be >= 2 (unbiased covariance), found " + count);
        }
        for (int i = 0; i < d; i++) {
            if (!Double.isFinite(mean[i])) {
                throw new IllegalArgumentException("mean must be finite, found " + mean[i] + " at " + i);
            }
        }
        int cols = Matrices.requireMatrix(covariance, "covariance");
        if (cols != d) {
            throw new IllegalArgumentException("covariance must be " + d + "x" + d + ", found " + d + "x" + cols);
        }
        mean = mean.clone();
        covariance = copy(covariance);
    }

    /**
     * Fits a Gaussian to a feature matrix.
     *
     * @param features {@code [N][D]}, {@code N >= 2}, finite; not modified
     * @return the statistics
     */
    public static GaussianStatistics of(double[][] features) {
        int d = Matrices.requireMatrix(features, "features");
        int n = features.length;
        if (n < 2) {
            throw new IllegalArgumentException("features must have at least 2 rows for a covariance, found " + n);
        }
        double[] mean = new double[d];
        for (double[] row : features) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] cov = new double[d][d];
        double[] centred = new double[d];
        for (double[] row : features) {
            for (int j = 0; j < d; j++) {
                centred[j] = row[j] - mean[j];
            }
            for (int i = 0; i < d; i++) {
                double ci = centred[i];
                if (ci == 0) {
                    continue;
                }
                double[] covI = cov[i];
                for (int j = i; j < d; j++) {
                    covI[j] += ci * centred[j];
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double v = cov[i][j] / (n - 1);
                cov[i][j] = v;
                cov[j][i] = v;
            }
        }
        return new GaussianStatistics(mean, cov, n);
    }

    /**
     * Fits a Gaussian to features {@code [N, D]} (higher ranks are flattened per sample).
     *
     * @param features the features, any data type; not modified
     * @return the statistics
     */
    public static GaussianStatistics of(INDArray features) {
        return of(Matrices.toRows(features, "features"));
    }

    /** The feature dimension {@code D}. */
    public int dimension() {
        return mean.length;
    }

    /** The mean (a copy). */
    @Override
    public double[] mean() {
        return mean.clone();
    }

    /** The covariance (a copy). */
    @Override
    public double[][] covariance() {
        return copy(covariance);
    }

    /** Equal when counts and all entries are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof GaussianStatistics g && count == g.count
                && java.util.Arrays.equals(mean, g.mean) && java.util.Arrays.deepEquals(covariance, g.covariance);
    }

    /** Hash over the count and all entries. */
    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(count) + java.util.Arrays.hashCode(mean))
                + java.util.Arrays.deepHashCode(covariance);
    }

    /** A short summary (dimension and count), not the entries. */
    @Override
    public String toString() {
        return "GaussianStatistics[dimension=" + mean.length + ", count=" + count + "]";
    }

    private static double[][] copy(double[][] m) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i].clone();
        }
        return out;
    }
}
