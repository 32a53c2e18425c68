package org.erasediff.eval.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kernel Inception Distance over random subsets.
 *
 * @param mean              mean of the unbiased MMD² estimates over the subsets (can be slightly
 *                          negative when the two distributions agree)
 * @param standardDeviation sample standard deviation of the per-subset estimates
 * @param standardError     {@code standardDeviation / √numSubsets}
 * @param subsetSize        samples per set actually used in each subset
 * @param numSubsets        number of subsets
 */
public record KidResult(double mean, double standardDeviation, double standardError, int subsetSize,
                        int numSubsets) {

    /** The values as named scalars: {@code kid}, {@code kid_std}, {@code kid_se}. */
    public Map<String, Double> toScalars() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("kid", mean);
        out.put("kid_std", standardDeviation);
        out.put("kid_se", standardError);
        return out;
    }
}
