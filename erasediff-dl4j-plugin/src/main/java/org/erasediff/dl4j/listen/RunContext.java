package org.erasediff.dl4j.listen;

import java.util.List;
import java.util.function.Function;
import org.erasediff.dl4j.graph.DiffusionGraph;

/**
 * The running loop as its {@link RunListener}s see it: where it is, what happened so far and the
 * model being trained. Valid only during the listener call that received it.
 */
public interface RunContext {

    /** The method's name, e.g. {@code "ddpm"} or {@code "erasediff-faithful"}. */
    String method();

    /** The first step of this sitting (0, or the step a resume started from). */
    int startStep();

    /** The configured number of steps. */
    int totalSteps();

    /** Every accepted step so far, this sitting's and (after a resume) the restored ones; read-only. */
    List<StepMetrics> history();

    /**
     * The model with its live (raw, not averaged) parameters; do not modify its parameters.
     *
     * @return the working graph
     */
    DiffusionGraph liveModel();

    /**
     * Runs {@code probe} on the model with the weights the run would return if it ended now (the
     * EMA average when the EMA is on, else the live parameters), then restores the live
     * parameters. Probes that judge the result — a forgetting target, a sample grid — belong here.
     *
     * @param probe reads the model; must not modify its parameters or keep it
     * @param <T>   the probe's result
     * @return what the probe returned
     */
    <T> T withReturnedWeights(Function<DiffusionGraph, T> probe);
}
