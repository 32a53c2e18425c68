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
 * {@code D·ε·|a|·|b| ≤ D·ε·(|a|² + |b|²)/2}, ε = 2⁻⁵³, and the squared norms by {@code D·ε·|a|²},
 * so the distance by at most about {@code 2·D·ε·(|a|² + |b|²)}; {@link #tolerance} allows
 * {@code 10⁻⁹·(|a|² + |b|²)}, more than 400 times that for {@code D ≤ 10⁴} (35,000 times for the
 * 128 features of the shipped judge).
 */
final class PairwiseSquaredDistances {

    /** Elements of one block of approximate distances (32 MB of doubles). */
    private static final long BLOCK_ELEMENTS = 1L << 22;
    private static final double RELATIVE_TOLERANCE = 1e-9;

    private final double[][] rows;
    private final double[] squaredNorms;
    private final INDArray matrix;

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
    private int blockRows(int otherSize) {
        return (int) Math.max(1, Math.min(rows.length, BLOCK_ELEMENTS / Math.max(1, otherSize)));
    }

    /** Receives one block of approximate squared distances. */
    @FunctionalInterface
    interface BlockConsumer {
        /**
         * @param from      first row of this set in the block
         * @param to        end of the block (exclusive)
         * @param distances row-major: row {@code i}'s distance to row {@code j} of the other set is
         *                  {@code distances[(i - from) * otherSize + j]}, within {@link #tolerance} of the
         *                  exact value; the array is reused by the next block
         */
        void accept(int from, int to, double[] distances);
    }

    /**
     * Passes the approximate squared distances of this set's rows to every row of {@code other} to
     * {@code consumer}, block by block, in order. The product and distance buffers are allocated
     * once (a block of the size of the last one at most once more) and reused by every block.
     */
    void forEachBlock(PairwiseSquaredDistances other, BlockConsumer consumer) {
        int m = other.size();
        int block = blockRows(m);
        INDArray products = Nd4j.create(DataType.DOUBLE, block, m);
        double[] distances = new double[block * m];
        for (int from = 0; from < rows.length; from += block) {
            int to = Math.min(rows.length, from + block);
            INDArray target = to - from == block ? products : Nd4j.create(DataType.DOUBLE, to - from, m);
            Nd4j.gemm(matrix.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()), other.matrix, target,
                    false, true, 1.0, 0.0);
            target.data().asNioDouble().get(distances, 0, (to - from) * m);
            for (int i = from; i < to; i++) {
                double ni = squaredNorms[i];
                int offset = (i - from) * m;
                for (int j = 0; j < m; j++) {
                    distances[offset + j] = ni + other.squaredNorms[j] - 2 * distances[offset + j];
                }
            }
            consumer.accept(from, to, distances);
        }
    }

    /** How far an approximate squared distance between rows of these squared norms may be off. */
    static double tolerance(double squaredNormA, double squaredNormB) {
        return RELATIVE_TOLERANCE * (squaredNormA + squaredNormB);
    }
}
