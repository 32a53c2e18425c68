package org.erasediff.dl4j.listen;

/**
 * Receives the events of a training or unlearning run. Every method has an empty default, so an
 * implementation overrides only what it needs. {@link #onEnd} is called however the run ends —
 * normally, stopped early, or by an exception — like DJL's {@code onTrainingEnd}.
 */
public interface RunListener {

    /** Before the first step of this sitting (after a resume: before the first resumed step). */
    default void onStart(RunContext context) {
    }

    /**
     * After each accepted step (a rolled-back attempt is not reported here).
     *
     * @param metrics the step's figures
     * @param context the run
     * @return {@code false} to stop the run after this step
     */
    default boolean onStep(StepMetrics metrics, RunContext context) {
        return true;
    }

    /**
     * When a non-finite value forced a rollback of step {@code step}; it is retried with the
     * lowered step scale.
     */
    default void onRollback(int step, String reason, double newStepScale, RunContext context) {
    }

    /**
     * When the run ends.
     *
     * @param context the run (its history holds every accepted step)
     * @param failure the exception ending the run, or {@code null} when it ended normally or early
     */
    default void onEnd(RunContext context, Throwable failure) {
    }
}
