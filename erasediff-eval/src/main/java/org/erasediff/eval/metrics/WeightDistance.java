package org.erasediff.eval.metrics;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Weight distance (WD) between two models given as parameter maps (name → array), for example an
 * unlearned model against the model retrained without the forgotten data.
 *
 * <p>Both maps must hold the same names with the same shapes. Sums run in double precision
 * whatever the arrays' data type. Inputs are not modified; each parameter is copied once into a
 * temporary double array, so memory use is bounded by the largest parameter.
 */
public final class WeightDistance {

    private WeightDistance() {
    }

    /**
     * Compares two parameter sets.
     *
     * @param reference the reference parameters (for example the retrained model); not modified
     * @param other     the parameters to compare (for example the unlearned model); not modified
     * @return overall and per-parameter L2 distances and relative changes
     * @throws IllegalArgumentException if a map is null or empty, the names differ, an array is
     *                                  null or the shapes of a parameter differ
     */
    public static WeightDistanceResult compare(Map<String, INDArray> reference, Map<String, INDArray> other) {
        requireSameNames(reference, other);
        Map<String, ParameterDistance> per = new TreeMap<>();
        double totalDiff = 0;
        double totalRef = 0;
        for (String name : new TreeSet<>(reference.keySet())) {
            INDArray a = reference.get(name);
            INDArray b = other.get(name);
            if (a == null || b == null) {
                throw new IllegalArgumentException("parameter '" + name + "' must not be null, found null in "
                        + (a == null ? "reference" : "other"));
            }
            if (!Arrays.equals(a.shape(), b.shape())) {
                throw new IllegalArgumentException("parameter '" + name + "' must have the same shape in both sets, found "
                        + Arrays.toString(a.shape()) + " in reference and " + Arrays.toString(b.shape()) + " in other");
            }
            double[] x = flatDoubles(a);
            double[] y = flatDoubles(b);
            double diff = 0;
            double ref = 0;
            for (int i = 0; i < x.length; i++) {
                double d = y[i] - x[i];
                diff += d * d;
                ref += x[i] * x[i];
            }
            per.put(name, ParameterDistance.of(diff, ref, x.length));
            totalDiff += diff;
            totalRef += ref;
        }
        double l2 = Math.sqrt(totalDiff);
        double norm = Math.sqrt(totalRef);
        return new WeightDistanceResult(l2, norm, ParameterDistance.relative(l2, norm), per);
    }

    private static void requireSameNames(Map<String, INDArray> reference, Map<String, INDArray> other) {
        if (reference == null || other == null) {
            throw new IllegalArgumentException("both parameter maps must be non-null, found "
                    + (reference == null ? "null" : "a map") + " and " + (other == null ? "null" : "a map"));
        }
        if (reference.isEmpty()) {
            throw new IllegalArgumentException("reference must hold at least one parameter, found none");
        }
        if (!reference.keySet().equals(other.keySet())) {
            TreeSet<String> missing = new TreeSet<>(reference.keySet());
            missing.removeAll(other.keySet());
            TreeSet<String> extra = new TreeSet<>(other.keySet());
            extra.removeAll(reference.keySet());
            throw new IllegalArgumentException("parameter names must match: missing in other " + missing
                    + ", not in reference " + extra);
        }
    }

    private static double[] flatDoubles(INDArray array) {
        if (array.length() == 0) {
            return new double[0];
        }
        if (array.length() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("parameters must have at most " + Integer.MAX_VALUE
                    + " entries, found " + array.length());
        }
        INDArray asDouble = array.dataType() == DataType.DOUBLE ? array : array.castTo(DataType.DOUBLE);
        return asDouble.reshape('c', new long[] {array.length()}).toDoubleVector();
    }
}
