package org.erasediff.dl4j.sweep;

import java.io.IOException;
import java.util.Map;
import org.erasediff.dl4j.graph.DiffusionGraph;

/**
 * Measures one unlearned candidate model: forgetting (for example {@code p_forget}, and
 * {@code p_forget_sa} under a second judge) and quality on what is kept (for example
 * {@code fid_remain}). Implemented outside the plugin (erasediff-eval) and wired in by the
 * application, so that training never depends on evaluation.
 *
 * <p>A scorer must be deterministic: the same weights give the same figures, which is what lets an
 * exported best config reproduce its score. One instance is used by one thread at a time.
 */
@FunctionalInterface
public interface SweepScorer {

    /**
     * Scores a model.
     *
     * @param model   the unlearned model (owned by the caller; not modified)
     * @param modelId a stable identity of the weights (usable as a cache key)
     * @return figures by name, in a stable order; must hold the keys the sweep's
     *         {@link SweepObjective} reads
     * @throws IOException if scoring needs files that cannot be read or written
     */
    Map<String, Double> score(DiffusionGraph model, String modelId) throws IOException;
}
