package org.erasediff.eval.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How much a classifier still recognises the target class in images generated for it.
 *
 * @param meanTargetProbability mean classifier probability of each image's target class
 *                              (lower means more forgotten)
 * @param argmaxRate            fraction of images whose most probable class is the target
 * @param meanEntropy           mean entropy of the classifier output in nats, in {@code [0, ln C]}
 *                              (higher means more information erased)
 * @param normalisedEntropy     {@code meanEntropy / ln C}, in {@code [0, 1]}
 * @param count                 number of images
 * @param numClasses            number of classes {@code C}
 */
public record ForgettingMetrics(double meanTargetProbability, double argmaxRate, double meanEntropy,
                                double normalisedEntropy, int count, int numClasses) {

    /**
     * The values as named scalars: {@code p_target}, {@code argmax_rate}, {@code entropy},
     * {@code entropy_normalised}.
     */
    public Map<String, Double> toScalars() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("p_target", meanTargetProbability);
        out.put("argmax_rate", argmaxRate);
        out.put("entropy", meanEntropy);
        out.put("entropy_normalised", normalisedEntropy);
        return out;
    }
}
