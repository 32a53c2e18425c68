package org.erasediff.eval.metrics;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Squared Euclidean distances between the rows of two sets, computed block by block through one
 * matrix product each ({@code |a|² + |b|² − 2·a·b}, ND4J's GEMM in double precision), with a bound
 * on their error so that callers can recompute exactly ({@link Matrices#squaredDistance}, from
 * differences) wherever a decision lies within it. Decisions taken this way are those of the exact
 * distances, bit for bit; the product form only decides the clear cases, which are nearly all.
 *
 * <p>Error bound: a dot product of length {@code D} in double precision is off by at most
 * {@code D·ε·|a|·|b| ≤ D·ε·(|a|² + |b|²)/2}, ε = 2⁻⁵³, and the squared norms by {@code D·ε·|a|²};
 * {@link #tolerance} allows {@code 10⁻⁹·(|a|² + |b|²)}, more than a thousand times that for
 * {@code D ≤ 10⁴}.
 */
final class PairwiseSquaredDistances {

    /** Elements of one block of approximate distances (32 MB of doubles). */
    private static final long BLOCK_ELEMENTS = 1L << 22;
    private static final double RELATIVE_TOLERANCE = 1e-9;

    private final double[][] rows;
    private final double[] squaredNorms;
    private final INDArray matrix;
    private INDArray transposed;

    /**
     * @param rows the set {@code [N][D]}, validated by the caller; kept, not modified
     */
    PairwiseSquaredDistances(double[][] rows) {
        this.rows = rows;
        this.squaredNorms = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            squaredNorms[i] = Matrices.dot(rows[i], rows[i]);
        }
        this.matrix = Nd4j.create(rows).castTo(DataType.DOUBLE).dup('c');
    }

    /** The rows. */
    double[][] rows() {
        return rows;
    }

    /** Number of rows. */
    int size() {
        return rows.length;
    }

    /** Squared norm of row {@code i}. */
    double squaredNorm(int i) {
        return squaredNorms[i];
    }

    /** The largest squared norm of the set. */
    double maxSquaredNorm() {
        double max = 0;
        for (double n : squaredNorms) {
            max = Math.max(max, n);
        }
        return max;
    }

    /** Rows per block when this set's rows are compared with a set of {@code otherSize} rows. */
    int blockRows(int otherSize) {
        return (int) Math.max(1, Math.min(rows.length, BLOCK_ELEMENTS / Math.max(1, otherSize)));
    }

    /**
     * Approximate squared distances of rows {@code [from, to)} of this set to every row of
     * {@code other}, row-major: the distance of row {@code i} to row {@code j} of {@code other} is
     * {@code out[(i - from) * other.size() + j]}, within {@link #tolerance} of the exact value.
     */
    double[] approximateBlock(int from, int to, PairwiseSquaredDistances other) {
        INDArray products = matrix.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).mmul(other.transposed());
        double[] out = products.data().asDouble();
        int m = other.size();
        for (int i = from; i < to; i++) {
            double ni = squaredNorms[i];
            int offset = (i - from) * m;
            for (int j = 0; j < m; j++) {
                out[offset + j] = ni + other.squaredNorms[j] - 2 * out[offset + j];
            }
        }
        return out;
    }

    private synchronized INDArray transposed() {
        if (transposed == null) {
            transposed = matrix.transpose().dup('c');
        }
        return transposed;
    }

    /** How far an approximate squared distance between rows of these squared norms may be off. */
    static double tolerance(double squaredNormA, double squaredNormB) {
        return RELATIVE_TOLERANCE * (squaredNormA + squaredNormB);
    }
}
