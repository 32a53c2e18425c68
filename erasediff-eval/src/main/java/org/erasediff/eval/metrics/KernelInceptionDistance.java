package org.erasediff.eval.metrics;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kernel Inception Distance (Bińkowski et al. 2018): the unbiased estimate of the squared maximum
 * mean discrepancy between two feature sets under the polynomial kernel
 * {@code k(x, y) = (x·y / D + 1)³}, averaged over random subsets.
 *
 * <p>Each subset draws {@code m} samples without replacement from each set and computes
 * <pre>  MMD²ᵤ = Σ_{i≠j} k(xᵢ,xⱼ)/(m(m−1)) + Σ_{i≠j} k(yᵢ,yⱼ)/(m(m−1)) − 2·Σ_{i,j} k(xᵢ,yⱼ)/m²</pre>
 * Unlike FID the estimate is unbiased, so it is meaningful for small sample sizes. Cost per
 * subset: {@code 3·m²·D} multiply-adds, as three matrix products.
 */
public final class KernelInceptionDistance {

    private static final Logger LOG = LoggerFactory.getLogger(KernelInceptionDistance.class);

    private KernelInceptionDistance() {
    }

    /**
     * Computes KID between two feature matrices.
     *
     * @param x      features {@code [N₁][D]}, {@code N₁ >= 2}; not modified
     * @param y      features {@code [N₂][D]}, {@code N₂ >= 2}; not modified
     * @param config subset size, count and seed
     * @return the mean over subsets with its spread
     * @throws IllegalArgumentException if the inputs are empty, ragged, non-finite, have fewer
     *                                  than 2 rows or different widths
     */
    public static KidResult compute(double[][] x, double[][] y, KidConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        int d = Matrices.requireMatrix(x, "x");
        Matrices.requireSameWidth(d, "x", Matrices.requireMatrix(y, "y"), "y");
        if (x.length < 2 || y.length < 2) {
            throw new IllegalArgumentException("x and y must have at least 2 rows each, found "
                    + x.length + " and " + y.length);
        }
        int m = Math.min(config.subsetSize(), Math.min(x.length, y.length));
        if (m < config.subsetSize()) {
            LOG.info("KID subset size reduced from {} to {} (the smaller set has {} samples)",
                    config.subsetSize(), m, Math.min(x.length, y.length));
        }
        if (m == x.length && m == y.length) {
            LOG.warn("KID subsets cover both whole sets ({} samples): every subset gives the same estimate and the"
                    + " standard error is 0; use a subset size below the set sizes for a spread", m);
        }
        Random random = new Random(config.seed());
        int[] permX = identity(x.length);
        int[] permY = identity(y.length);
        double[][] subX = new double[m][];
        double[][] subY = new double[m][];
        int subsets = config.numSubsets();
        double[] estimates = new double[subsets];
        KernelBuffers buffers = new KernelBuffers(m, d);
        for (int s = 0; s < subsets; s++) {
            draw(x, permX, subX, random);
            draw(y, permY, subY, random);
            estimates[s] = buffers.unbiasedMmd2(subX, subY);
        }
        double mean = 0;
        for (double e : estimates) {
            mean += e;
        }
        mean /= subsets;
        double ss = 0;
        for (double e : estimates) {
            ss += (e - mean) * (e - mean);
        }
        double std = Math.sqrt(ss / (subsets - 1));
        return new KidResult(mean, std, std / Math.sqrt(subsets), m, subsets);
    }

    /**
     * Computes KID between two feature arrays {@code [N, D]} (higher ranks flattened per sample).
     *
     * @param x      features, any data type; not modified
     * @param y      features, same {@code D}; not modified
     * @param config subset size, count and seed
     * @return the mean over subsets with its spread
     */
    public static KidResult compute(INDArray x, INDArray y, KidConfig config) {
        return compute(Matrices.toRows(x, "x"), Matrices.toRows(y, "y"), config);
    }

    /**
     * Unbiased MMD² between two equally sized samples under the cubic polynomial kernel.
     *
     * @param x {@code m} rows of width {@code d}
     * @param y {@code m} rows of width {@code d}
     */
    static double unbiasedMmd2(double[][] x, double[][] y, int d) {
        return new KernelBuffers(x.length, d).unbiasedMmd2(x, y);
    }

    /**
     * The arrays of one subset's kernel matrices, allocated once and reused by every subset. The
     * kernel matrices come from three matrix products in double precision (ND4J's GEMM: about 50×
     * faster than pairwise dot products in Java, which took 7 s per evaluated model for 50 subsets
     * of 500 in {@code unlearn}'s evaluation); reusing their arrays spares the fresh native memory
     * that ND4J's {@code mmul} allocates twice per product: 50 subsets of 900 took 0.85–1.3 s against
     * 1.4–2.9 s (four alternating runs in one process, {@code docs/eval-time/microbench/run.sh}; the
     * means agree to 1e-15).
     */
    private static final class KernelBuffers {
        private final int m;
        private final int d;
        private final double[] flatX;
        private final double[] flatY;
        private final INDArray a;
        private final INDArray b;
        private final INDArray kernel;
        private final INDArray square;

        KernelBuffers(int m, int d) {
            this.m = m;
            this.d = d;
            this.flatX = new double[m * d];
            this.flatY = new double[m * d];
            this.a = Nd4j.create(DataType.DOUBLE, m, d);
            this.b = Nd4j.create(DataType.DOUBLE, m, d);
            this.kernel = Nd4j.create(DataType.DOUBLE, m, m);
            this.square = Nd4j.create(DataType.DOUBLE, m, m);
        }

        double unbiasedMmd2(double[][] x, double[][] y) {
            load(x, flatX, a);
            load(y, flatY, b);
            double sumXX = kernelSum(a, a);
            double offXX = sumXX - diagonalSum(x);
            double offYY = kernelSum(b, b) - diagonalSum(y);
            double sumXY = kernelSum(a, b);
            double pairs = (double) m * (m - 1);
            return offXX / pairs + offYY / pairs - 2 * sumXY / ((double) m * m);
        }

        private void load(double[][] rows, double[] flat, INDArray target) {
            for (int i = 0; i < m; i++) {
                System.arraycopy(rows[i], 0, flat, i * d, d);
            }
            target.data().setData(flat);
        }

        /** Σ (p·qᵀ / d + 1)³ over all entries. */
        private double kernelSum(INDArray p, INDArray q) {
            Nd4j.gemm(p, q, kernel, false, true, 1.0, 0.0);
            kernel.divi(d).addi(1);
            square.assign(kernel).muli(kernel);
            return kernel.muli(square).sumNumber().doubleValue();
        }

        /** Σᵢ k(rᵢ, rᵢ), the kernel matrix's trace, from the rows themselves. */
        private double diagonalSum(double[][] rows) {
            double t = 0;
            for (double[] r : rows) {
                double k = Matrices.dot(r, r) / d + 1;
                t += k * (k * k);
            }
            return t;
        }
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    /** Draws {@code out.length} distinct rows by a partial Fisher–Yates shuffle of {@code perm}. */
    private static void draw(double[][] rows, int[] perm, double[][] out, Random random) {
        int n = perm.length;
        for (int i = 0; i < out.length; i++) {
            int j = i + random.nextInt(n - i);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
            out[i] = rows[perm[i]];
        }
    }
}
