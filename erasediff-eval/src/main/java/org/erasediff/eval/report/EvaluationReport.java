package org.erasediff.eval.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A comparison of one or more model evaluations. The first model is the reference ("before", for
 * example the unscrubbed model); every other model is reported with its difference
 * {@code model − reference} per metric. The provenance map (for example seeds, commit, configs,
 * data files) is written verbatim into {@code report.json}; its values must be serialisable by
 * Jackson (strings, numbers, booleans, lists, maps, records). Immutable (collections copied).
 *
 * @param title      report title, non-blank
 * @param models     the evaluations, at least one, with distinct names; the first is the reference
 * @param provenance where the numbers came from, by key (may be empty)
 */
public record EvaluationReport(String title, List<ModelEvaluation> models, Map<String, Object> provenance) {

    /**
     * Provenance key of the judges (optional): a list of entries with {@code name},
     * {@code entropy_key} (the metric holding the forgetting entropy H under that judge),
     * {@code entropy_content_free} (probe name → the judge's mean entropy on content-free images)
     * and {@code max_entropy} (ln C), as {@code ModelEvaluator.judges()} gives them. The Markdown
     * report shows them in a table beside each model's H.
     */
    public static final String JUDGES = "judges";

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if the title is blank, there is no model, a model is null or
     *                                  two share a name
     */
    public EvaluationReport {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("title must be non-blank, found " + (title == null ? "null" : "'" + title + "'"));
        }
        if (models == null || models.isEmpty()) {
            throw new IllegalArgumentException("models must hold at least one evaluation, found none");
        }
        Set<String> names = new HashSet<>();
        for (ModelEvaluation m : models) {
            if (m == null || !names.add(m.name())) {
                throw new IllegalArgumentException("models must be non-null with distinct names, found "
                        + (m == null ? "null" : "a repeated '" + m.name() + "'"));
            }
        }
        models = List.copyOf(models);
        Map<String, Object> p = new LinkedHashMap<>();
        if (provenance != null) {
            provenance.forEach((k, v) -> {
                if (k == null || k.isBlank()) {
                    throw new IllegalArgumentException("provenance keys must be non-blank, found "
                            + (k == null ? "null" : "'" + k + "'"));
                }
                p.put(k, v);
            });
        }
        provenance = Collections.unmodifiableMap(p);
    }

    /** The reference model (the first). */
    public ModelEvaluation reference() {
        return models.get(0);
    }

    /** All scalar metric names, in order of first appearance over the models. */
    public List<String> metricNames() {
        Set<String> names = new LinkedHashSet<>();
        for (ModelEvaluation m : models) {
            names.addAll(m.metrics().keySet());
        }
        return new ArrayList<>(names);
    }

    /** All per-class array names, in order of first appearance over the models. */
    public List<String> perClassNames() {
        Set<String> names = new LinkedHashSet<>();
        for (ModelEvaluation m : models) {
            names.addAll(m.perClass().keySet());
        }
        return new ArrayList<>(names);
    }

    /**
     * Differences to the reference for every model after the first.
     *
     * @return model name → (metric → {@code model − reference}, {@code NaN} where either is missing)
     */
    public Map<String, Map<String, Double>> deltas() {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        ModelEvaluation ref = reference();
        List<String> metricNames = metricNames();
        for (ModelEvaluation m : models.subList(1, models.size())) {
            Map<String, Double> d = new LinkedHashMap<>();
            for (String metric : metricNames) {
                d.put(metric, m.metric(metric) - ref.metric(metric));
            }
            out.put(m.name(), d);
        }
        return out;
    }
}
