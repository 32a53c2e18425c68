package org.erasediff.dl4j.listen;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * An op-level profile: wall time per op type (conv2d, conv2d_bp, multiply, …) summed over the
 * ops a SameDiff session runs while the listener is attached. Time between ops (the session's
 * own bookkeeping, allocation of outputs) is not attributed to any op; compare
 * {@link #totalNanos()} with the step time to see it.
 */
public final class OpTimingListener extends BaseListener {

    /** Time spent in one op type. */
    public record OpTime(String op, long nanos, long count) {
    }

    private final Map<String, long[]> byOp = new HashMap<>();
    private long started;

    @Override
    public boolean isActive(Operation operation) {
        return true;
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext opContext) {
        started = System.nanoTime();
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext opContext,
                            INDArray[] outputs) {
        long ns = System.nanoTime() - started;
        long[] acc = byOp.computeIfAbsent(op.getOp().opName(), k -> new long[2]);
        acc[0] += ns;
        acc[1]++;
    }

    /** Op types by total time, longest first. */
    public List<OpTime> byTotalTime() {
        List<OpTime> out = new ArrayList<>();
        byOp.forEach((k, v) -> out.add(new OpTime(k, v[0], v[1])));
        out.sort(Comparator.comparingLong(OpTime::nanos).reversed());
        return out;
    }

    /** Total time inside ops. */
    public long totalNanos() {
        return byOp.values().stream().mapToLong(v -> v[0]).sum();
    }

    /** Forgets what was recorded. */
    public void reset() {
        byOp.clear();
    }
}
