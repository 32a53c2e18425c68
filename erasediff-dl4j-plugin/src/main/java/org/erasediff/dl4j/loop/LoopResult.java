package org.erasediff.dl4j.loop;

import java.util.List;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.listen.StepMetrics;

/**
 * What a run of the {@link TrainingLoop} produced.
 *
 * @param model        a new graph holding the returned weights (the EMA average when the EMA is on)
 * @param history      every accepted step, restored ones included after a resume
 * @param startStep    the step this sitting started at (0, or where it resumed)
 * @param seconds      wall time of this sitting's steps
 * @param setupSeconds wall time of the method's preparation before its first step (e.g. a Fisher
 *                     matrix or a saliency mask), reported apart from the steps
 * @param stopReason   why the run ended before its last step (a listener, early stopping), or
 *                     {@code null} when it ran all its steps
 * @param provenance   where the model came from
 */
public record LoopResult(DiffusionGraph model, List<StepMetrics> history, int startStep, double seconds,
                         double setupSeconds, String stopReason, RunProvenance provenance) {

    /** Whether the run ended before its configured number of steps. */
    public boolean stoppedEarly() {
        return stopReason != null;
    }
}
