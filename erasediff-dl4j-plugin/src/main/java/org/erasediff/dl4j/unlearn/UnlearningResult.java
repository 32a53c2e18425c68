package org.erasediff.dl4j.unlearn;

import java.util.List;
import java.util.Map;
import org.erasediff.dl4j.graph.DiffusionGraph;

/**
 * The unlearned model with its per-step history and provenance.
 *
 * @param model       the unlearned model (a new graph; EMA weights when EMA is on)
 * @param history     one entry per outer step taken
 * @param provenance  input model hash, forget/remain description and hashes, config, seeds, versions
 * @param seconds     wall time of the unlearning (this sitting)
 * @param stoppedEarly whether a listener stopped the run before the configured number of steps
 */
public record UnlearningResult(DiffusionGraph model, List<StepMetrics> history, Map<String, Object> provenance,
                               double seconds, boolean stoppedEarly) {
}
