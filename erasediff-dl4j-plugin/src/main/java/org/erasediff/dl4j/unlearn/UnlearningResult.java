package org.erasediff.dl4j.unlearn;

import java.util.List;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.listen.StepMetrics;
import org.erasediff.dl4j.loop.RunProvenance;

/**
 * The unlearned model with its per-step history and provenance.
 *
 * @param model      the unlearned model (a new graph; EMA weights when the EMA is on)
 * @param history    one entry per outer step taken (restored ones included after a resume)
 * @param provenance config, data hashes, seed, inputs, versions
 * @param seconds    wall time of the unlearning steps (this sitting)
 * @param setupSeconds wall time of the method's preparation before its first step (Selective
 *                   Amnesia's replay and Fisher, SalUn's mask, BlindSpot's proxy; 0 for EraseDiff)
 * @param stopReason why the run stopped before its configured steps, or {@code null}
 */
public record UnlearningResult(DiffusionGraph model, List<StepMetrics> history, RunProvenance provenance,
                               double seconds, double setupSeconds, String stopReason) {

    /** Whether a listener or early stopping ended the run before its configured number of steps. */
    public boolean stoppedEarly() {
        return stopReason != null;
    }
}
