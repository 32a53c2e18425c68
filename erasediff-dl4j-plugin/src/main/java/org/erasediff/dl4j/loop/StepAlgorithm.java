package org.erasediff.dl4j.loop;

import java.util.Map;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * One training or unlearning method, as the {@link TrainingLoop} runs it: which batches a step
 * draws, which forward/backward passes it makes and how the gradients combine into the update
 * direction. Everything else — step counting, clipping, the updater, the EMA, rollback on
 * non-finite values, checkpoints and exact resume, listeners, early stopping, progress and
 * provenance — is the loop's.
 *
 * <p>Contract: a step is a pure function of (the step number, the {@link LoopState} at its start).
 * Random draws come from {@link LoopState#rng()} keyed by step (and sub-step), batches from the
 * streams registered in {@link #prepare}, and any other state that outlives a step is kept in
 * {@link LoopState#scalar}s; then a rollback and a resume replay exactly.
 */
public interface StepAlgorithm {

    /** A short name for logs, checkpoints and provenance, e.g. {@code "ddpm"}. */
    String name();

    /** The method's config as JSON, stored in checkpoints and provenance. */
    String configJson();

    /**
     * Why a run checkpointed with {@code savedConfigJson} cannot be resumed by this method, or
     * {@code null} when it can; called after {@link #prepare}. The default requires the same JSON.
     */
    default String incompatibility(String savedConfigJson) {
        return configJson().equals(savedConfigJson) ? null : "it was written with another config";
    }

    /** Content hashes of the data the method trains on, by role (e.g. {@code "forget"}); checked on resume. */
    Map<String, DataDescription> data();

    /**
     * Called once before the first step: validate against the graph, allocate buffers, register
     * batch streams with {@link LoopState#addStream}. Must fail here, before any work, on bad input.
     */
    void prepare(LoopState state);

    /** Draws step {@code step}'s batches (into the method's buffers). */
    void drawBatch(int step, LoopState state);

    /**
     * The step's batch as standard SameDiff listeners see it (features: the noisy images, labels:
     * the regression targets); called only when such listeners are attached.
     */
    MultiDataSet listenerBatch();

    /**
     * Computes the update direction of step {@code step} into {@link LoopState#gradients()} (not
     * clipped, not applied) and returns the step's losses. May move the parameters and the shared
     * updater in between (inner loops) as long as it leaves the parameters as it found them.
     */
    StepLosses computeDirection(int step, LoopState state);

    /** What a method trains on: a name, the number of images and their content hash. */
    record DataDescription(String name, int images, String sha256) {
    }
}
