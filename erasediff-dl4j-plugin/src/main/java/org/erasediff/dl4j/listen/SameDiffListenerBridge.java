package org.erasediff.dl4j.listen;

import java.util.List;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.listeners.records.LossCurve;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Calls standard SameDiff {@link Listener}s ({@code ScoreListener}, {@code CheckpointListener},
 * {@code UIListener}, your own) from a custom training loop, the way {@code SameDiff.fit} would:
 * operation start/end, one epoch around the run, and iteration start/done for every step with the
 * real iteration number and the real loss (which {@code fit} itself reports as 0.0 in M2.1).
 */
public final class SameDiffListenerBridge {

    private final List<Listener> listeners;
    private final List<String> lossNames;
    private double lossSum;
    private long lossCount;
    private SameDiff sd;

    /**
     * @param listeners the listeners to call (only those active for {@link Operation#TRAINING})
     * @param lossName  the name reported for the loss value
     */
    public SameDiffListenerBridge(List<Listener> listeners, String lossName) {
        this.listeners = listeners.stream().filter(l -> l.isActive(Operation.TRAINING)).toList();
        this.lossNames = List.of(lossName);
    }

    /** Whether any listener is active. */
    public boolean isEmpty() {
        return listeners.isEmpty();
    }

    /** Starts the run on graph {@code sd}. */
    public void start(SameDiff graph) {
        this.sd = graph;
        for (Listener l : listeners) {
            l.operationStart(sd, Operation.TRAINING);
            l.epochStart(sd, at(0));
        }
    }

    /** Before step {@code iteration}. */
    public void iterationStart(int iteration, MultiDataSet batch) {
        for (Listener l : listeners) {
            l.iterationStart(sd, at(iteration), batch, 0);
        }
    }

    /** After step {@code iteration} with its loss. */
    public void iterationDone(int iteration, MultiDataSet batch, double loss) {
        if (listeners.isEmpty()) {
            return;
        }
        Loss value = new Loss(lossNames, new double[] {loss});
        lossSum += loss;
        lossCount++;
        for (Listener l : listeners) {
            l.iterationDone(sd, at(iteration), batch, value);
        }
    }

    /**
     * Ends the run: epoch end and operation end. The loss curve handed to {@code epochEnd} has one
     * row, the mean loss of the run (M2.1's multi-row LossCurve constructor fails on CPU).
     */
    public void end(int iteration, long millis) {
        if (listeners.isEmpty()) {
            return;
        }
        LossCurve curve = new LossCurve(new double[] {lossCount == 0 ? Double.NaN : lossSum / lossCount}, lossNames);
        for (Listener l : listeners) {
            l.epochEnd(sd, at(iteration), curve, millis);
            l.operationEnd(sd, Operation.TRAINING);
        }
    }

    private static At at(int iteration) {
        return At.builder().epoch(0).iteration(iteration).operation(Operation.TRAINING)
                .javaThreadNum(Thread.currentThread().getId()).build();
    }
}
