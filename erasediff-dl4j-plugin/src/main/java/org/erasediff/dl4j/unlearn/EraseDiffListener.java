package org.erasediff.dl4j.unlearn;

/**
 * Receives the events of an unlearning run. Every method has an empty default, so an
 * implementation overrides only what it needs.
 */
public interface EraseDiffListener {

    /** Before the first step (or the first step after a resume). */
    default void onStart(int totalSteps, int startStep) {
    }

    /**
     * After each outer step.
     *
     * @param metrics the step's figures
     * @param model   the model being unlearned (its live parameters; do not modify)
     * @return {@code false} to stop the run after this step
     */
    default boolean onStep(StepMetrics metrics, org.erasediff.dl4j.graph.DiffusionGraph model) {
        return true;
    }

    /** When a non-finite value forced a rollback. */
    default void onRollback(int step, String reason, double newStepScale) {
    }

    /** After the last step. */
    default void onEnd(java.util.List<StepMetrics> history) {
    }
}
