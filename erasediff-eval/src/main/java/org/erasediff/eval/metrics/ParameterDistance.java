package org.erasediff.eval.metrics;

/**
 * Distance between one parameter's values in two models.
 *
 * @param l2             Euclidean norm of the difference {@code ‖other − reference‖₂}
 * @param referenceNorm  Euclidean norm of the reference values
 * @param relativeChange {@code l2 / referenceNorm}; 0 when both are 0, {@code +∞} when only the
 *                       reference norm is 0
 * @param count          number of scalar entries
 */
public record ParameterDistance(double l2, double referenceNorm, double relativeChange, long count) {

    static ParameterDistance of(double squaredDiff, double squaredRef, long count) {
        double l2 = Math.sqrt(squaredDiff);
        double norm = Math.sqrt(squaredRef);
        return new ParameterDistance(l2, norm, relative(l2, norm), count);
    }

    static double relative(double l2, double norm) {
        if (norm == 0) {
            return l2 == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return l2 / norm;
    }
}
