package org.erasediff.eval.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Distance between two parameter sets, overall and per parameter.
 *
 * @param l2             Euclidean norm of the difference over all parameters together
 * @param referenceNorm  Euclidean norm of all reference parameters together
 * @param relativeChange {@code l2 / referenceNorm} (0 when both are 0, {@code +∞} when only the
 *                       reference norm is 0)
 * @param perParameter   per parameter name (sorted by name), its distance; unmodifiable
 */
public record WeightDistanceResult(double l2, double referenceNorm, double relativeChange,
                                   Map<String, ParameterDistance> perParameter) {

    /** Copies the per-parameter map, keeping its order. */
    public WeightDistanceResult {
        if (perParameter == null) {
            throw new IllegalArgumentException("perParameter must not be null");
        }
        perParameter = Collections.unmodifiableMap(new LinkedHashMap<>(perParameter));
    }

    /** The overall values as named scalars: {@code wd_l2}, {@code wd_relative}. */
    public Map<String, Double> toScalars() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("wd_l2", l2);
        out.put("wd_relative", relativeChange);
        return out;
    }
}
