package org.erasediff.dl4j.memory;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code SameDiff.output} with the intermediate arrays taken from a {@link StepArrayPool}, so that
 * one call's arrays are recycled by the next instead of being allocated afresh and left to the
 * garbage collector.
 *
 * <p>The call runs in a session of its own, swapped into the graph for the duration of the call
 * only: other callers of the graph (other threads, or the same thread later) never allocate from
 * the pool. The returned arrays are the caller's; later calls do not touch them.
 */
public final class PooledOutput {

    private PooledOutput() {
    }

    /**
     * Runs the graph and ends the pool's step.
     *
     * @param sd      the graph
     * @param pool    the pool (one per graph and thread; {@link StepArrayPool.Reuse#NEXT_STEP} or
     *                {@link StepArrayPool.Reuse#NONE} unless the graph reports released arrays)
     * @param feed    placeholder values
     * @param outputs names of the variables to return
     * @return the outputs by name
     */
    public static Map<String, INDArray> output(SameDiff sd, StepArrayPool pool, Map<String, INDArray> feed,
                                               String... outputs) {
        if (outputs.length == 0) {
            throw new IllegalArgumentException("name at least one output");
        }
        long thread = Thread.currentThread().getId();
        // a fresh session each call (~0.01 ms measured): no state of an earlier call or graph shape can leak in;
        // what is worth keeping, the arrays, lives in the pool
        InferenceSession session = new InferenceSession(sd);
        session.setMmgr(pool);
        InferenceSession previous = sd.getSessions().put(thread, session);
        try {
            Map<String, INDArray> out = new HashMap<>(sd.output(feed, outputs));
            out.replaceAll((name, arr) -> pool.owns(arr) ? arr.dup() : arr);
            return out;
        } finally {
            if (previous != null) {
                sd.getSessions().put(thread, previous);
            } else {
                sd.getSessions().remove(thread);
            }
            pool.endStep();
        }
    }
}
