package org.erasediff.eval.metrics;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Improved precision and recall (Kynkäänniemi et al. 2019) on feature vectors.
 *
 * <p>Each set approximates its manifold by balls: around every sample a ball whose radius is the
 * distance to its {@code k}-th nearest neighbour within the same set (the sample itself excluded).
 * A sample is covered by the other set's manifold when it lies within (≤) the radius of at least
 * one of that set's samples. Precision is the fraction of generated samples covered by the real
 * manifold; recall the fraction of real samples covered by the generated manifold. Distances are
 * Euclidean. They come from matrix products ({@code |a|² + |b|² − 2·a·b}, blocks of ND4J GEMM in
 * double precision), and every decision within the product form's error bound of a radius is
 * taken on the distance computed from differences, so the results are those of exact distances
 * (equal rows are at distance 0). Cost: {@code O((N₁ + N₂)²·D)} multiply-adds, in GEMM: for
 * 9,020 real and 900 generated rows of 128 features (the evaluation of {@code unlearn}) 0.8–2.4 s
 * against 5.1–10.6 s with pairwise differences in Java, the same results (four alternating runs in
 * one process, {@code docs/eval-time/microbench/run.sh}).
 */
public final class PrecisionRecall {

    /** The neighbour index used by the paper and by the EraseDiff evaluation. */
    public static final int DEFAULT_K = 3;

    private PrecisionRecall() {
    }

    /**
     * Precision and recall with {@code k = 3}.
     *
     * @param real      real features {@code [N₁][D]}, {@code N₁ > 3}; not modified
     * @param generated generated features {@code [N₂][D]}, {@code N₂ > 3}; not modified
     * @return the result
     */
    public static PrecisionRecallResult compute(double[][] real, double[][] generated) {
        return compute(real, generated, DEFAULT_K);
    }

    /**
     * Precision and recall with a chosen neighbour index.
     *
     * @param real      real features {@code [N₁][D]}, {@code N₁ > k}; not modified
     * @param generated generated features {@code [N₂][D]}, {@code N₂ > k}; not modified
     * @param k         neighbour index that sets the radii, {@code >= 1}
     * @return the result
     * @throws IllegalArgumentException if {@code k < 1}, a set has at most {@code k} samples, or
     *                                  the matrices are ragged, non-finite or of different widths
     */
    public static PrecisionRecallResult compute(double[][] real, double[][] generated, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, found " + k);
        }
        int d = Matrices.requireMatrix(real, "real");
        Matrices.requireSameWidth(d, "real", Matrices.requireMatrix(generated, "generated"), "generated");
        if (real.length <= k || generated.length <= k) {
            throw new IllegalArgumentException("real and generated must each have more than k=" + k
                    + " samples, found " + real.length + " and " + generated.length);
        }
        return compute(new Reference(real, k), generated);
    }

    /**
     * Precision and recall against a real set prepared once ({@link Reference}): the real set's
     * radii, the costliest part for a large reference, are not computed again.
     *
     * @param real      the prepared real set
     * @param generated generated features {@code [N₂][D]}, {@code N₂ > k}, the real set's width
     * @return the result (identical to {@link #compute(double[][], double[][], int)}'s)
     */
    public static PrecisionRecallResult compute(Reference real, double[][] generated) {
        int k = real.k;
        Matrices.requireSameWidth(real.rows.rows()[0].length, "real", Matrices.requireMatrix(generated, "generated"),
                "generated");
        if (generated.length <= k) {
            throw new IllegalArgumentException("generated must have more than k=" + k + " samples, found "
                    + generated.length);
        }
        PairwiseSquaredDistances generatedSet = new PairwiseSquaredDistances(generated);
        double[] generatedRadii = squaredKthNeighbourDistances(generatedSet, k);
        double precision = coveredFraction(generatedSet, real.rows, real.squaredRadii);
        double recall = coveredFraction(real.rows, generatedSet, generatedRadii);
        return new PrecisionRecallResult(precision, recall, k, real.rows.size(), generated.length);
    }

    /** A real feature set with the squared radii of its balls (k-th neighbour distances), computed once. */
    public static final class Reference {
        private final PairwiseSquaredDistances rows;
        private final double[] squaredRadii;
        private final int k;

        /**
         * @param real real features {@code [N₁][D]}, {@code N₁ > k}; kept, not modified
         * @param k    neighbour index that sets the radii, {@code >= 1}
         * @throws IllegalArgumentException if {@code k < 1}, there are at most {@code k} rows, or the
         *                                  matrix is ragged or non-finite
         */
        public Reference(double[][] real, int k) {
            if (k < 1) {
                throw new IllegalArgumentException("k must be >= 1, found " + k);
            }
            Matrices.requireMatrix(real, "real");
            if (real.length <= k) {
                throw new IllegalArgumentException("real must have more than k=" + k + " samples, found "
                        + real.length);
            }
            this.rows = new PairwiseSquaredDistances(real);
            this.k = k;
            this.squaredRadii = squaredKthNeighbourDistances(rows, k);
        }
    }

    /**
     * Precision and recall with {@code k = 3} on feature arrays {@code [N, D]}.
     *
     * @param real      real features, any data type; not modified
     * @param generated generated features, same {@code D}; not modified
     * @return the result
     */
    public static PrecisionRecallResult compute(INDArray real, INDArray generated) {
        return compute(Matrices.toRows(real, "real"), Matrices.toRows(generated, "generated"), DEFAULT_K);
    }

    /**
     * Precision and recall with a chosen neighbour index on feature arrays {@code [N, D]}.
     *
     * @param real      real features, any data type; not modified
     * @param generated generated features, same {@code D}; not modified
     * @param k         neighbour index, {@code >= 1}
     * @return the result
     */
    public static PrecisionRecallResult compute(INDArray real, INDArray generated, int k) {
        return compute(Matrices.toRows(real, "real"), Matrices.toRows(generated, "generated"), k);
    }

    /**
     * Squared distance of every row to its k-th nearest other row. The candidates come from the
     * matrix-product distances; the k-th distance itself is recomputed exactly from differences
     * among every row that could be one of the k nearest within the product form's error.
     */
    static double[] squaredKthNeighbourDistances(double[][] rows, int k) {
        return squaredKthNeighbourDistances(new PairwiseSquaredDistances(rows), k);
    }

    private static double[] squaredKthNeighbourDistances(PairwiseSquaredDistances set, int k) {
        double[][] rows = set.rows();
        int n = set.size();
        double maxNorm = set.maxSquaredNorm();
        double[] radii = new double[n];
        double[] approximate = new double[k];
        double[] exact = new double[k];
        set.forEachBlock(set, (from, to, distances) -> {
            for (int i = from; i < to; i++) {
                int offset = (i - from) * n;
                Arrays.fill(approximate, Double.POSITIVE_INFINITY);
                for (int j = 0; j < n; j++) {
                    if (j != i) {
                        offer(approximate, distances[offset + j]);
                    }
                }
                double limit = approximate[k - 1] + 2 * PairwiseSquaredDistances.tolerance(set.squaredNorm(i), maxNorm);
                Arrays.fill(exact, Double.POSITIVE_INFINITY);
                for (int j = 0; j < n; j++) {
                    if (j != i && distances[offset + j] <= limit) {
                        offer(exact, Matrices.squaredDistance(rows[i], rows[j]));
                    }
                }
                radii[i] = exact[k - 1];
            }
        });
        return radii;
    }

    /** Inserts {@code value} into the ascending array {@code best} if it is among the smallest. */
    private static void offer(double[] best, double value) {
        int last = best.length - 1;
        if (value >= best[last]) {
            return;
        }
        int pos = last;
        while (pos > 0 && best[pos - 1] > value) {
            best[pos] = best[pos - 1];
            pos--;
        }
        best[pos] = value;
    }

    /**
     * The fraction of {@code queries} within (≤) the radius of at least one manifold row; a pair
     * whose product-form distance lies within its error of the radius is decided exactly.
     */
    private static double coveredFraction(PairwiseSquaredDistances queries, PairwiseSquaredDistances manifold,
                                          double[] squaredRadii) {
        int m = manifold.size();
        int[] covered = {0};
        queries.forEachBlock(manifold, (from, to, distances) -> {
            for (int i = from; i < to; i++) {
                int offset = (i - from) * m;
                double queryNorm = queries.squaredNorm(i);
                for (int r = 0; r < m; r++) {
                    double distance = distances[offset + r];
                    double tolerance = PairwiseSquaredDistances.tolerance(queryNorm, manifold.squaredNorm(r));
                    if (distance > squaredRadii[r] + tolerance) {
                        continue;
                    }
                    if (distance <= squaredRadii[r] - tolerance
                            || Matrices.squaredDistance(queries.rows()[i], manifold.rows()[r]) <= squaredRadii[r]) {
                        covered[0]++;
                        break;
                    }
                }
            }
        });
        return (double) covered[0] / queries.size();
    }
}
