package org.erasediff.dl4j.sweep;

import java.io.IOException;
import java.io.Serializable;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.dl4j.graph.DiffusionGraph;

/**
 * What a sweep unlearns and how it scores: the base model, the deletion request, the model's noise
 * schedule and the scorer. Serializable, so that a cluster runner can send it to the machines that
 * run candidates: implementations hold only descriptions (file names, class lists, settings) and
 * build the heavy objects when asked, on the machine that asks. Each call may build new objects; a
 * runner calls each method once per sitting (locally) or once per task (on a cluster).
 */
public interface SweepProblem extends Serializable {

    /**
     * @return the trained base model; candidates unlearn copies of it, never it
     * @throws IOException if it cannot be read
     */
    DiffusionGraph baseModel() throws IOException;

    /**
     * @return the forget and remain sets
     * @throws IOException if the data cannot be read
     */
    ForgetRemainSplit split() throws IOException;

    /** @return the noise schedule the base model was trained with */
    ScheduleConfig schedule();

    /**
     * @return a scorer for the candidates' models
     * @throws IOException if the scorer's models or data cannot be read
     */
    SweepScorer scorer() throws IOException;
}
