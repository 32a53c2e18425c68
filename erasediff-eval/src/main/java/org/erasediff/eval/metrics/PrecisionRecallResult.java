package org.erasediff.eval.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Improved precision and recall of a generated feature set against a real one.
 *
 * @param precision      fraction of generated samples inside the real manifold, in {@code [0, 1]}
 * @param recall         fraction of real samples inside the generated manifold, in {@code [0, 1]}
 * @param k              the neighbour index that set the radii
 * @param realCount      number of real samples
 * @param generatedCount number of generated samples
 */
public record PrecisionRecallResult(double precision, double recall, int k, int realCount, int generatedCount) {

    /** The values as named scalars: {@code precision}, {@code recall}. */
    public Map<String, Double> toScalars() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("precision", precision);
        out.put("recall", recall);
        return out;
    }
}
