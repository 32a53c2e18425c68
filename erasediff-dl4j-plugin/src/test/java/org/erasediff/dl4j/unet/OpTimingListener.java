package org.erasediff.dl4j.unet;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.api.ops.OpContext;

import java.util.Map;
import java.util.TreeMap;

/** Sums wall time per op type between preOpExecution and opExecution (for profiling runs only). */
final class OpTimingListener extends BaseListener {

    private final Map<String, long[]> totals = new TreeMap<>();
    private long start;

    @Override
    public boolean isActive(Operation operation) {
        return true;
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext opContext) {
        start = System.nanoTime();
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext opContext,
                            INDArray[] outputs) {
        long[] t = totals.computeIfAbsent(op.getOp().opName(), k -> new long[2]);
        t[0] += System.nanoTime() - start;
        t[1]++;
    }

    void reset() {
        totals.clear();
    }

    /** Op types by descending total time, one line each. */
    String report(int top) {
        StringBuilder sb = new StringBuilder();
        long all = totals.values().stream().mapToLong(v -> v[0]).sum();
        totals.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(top)
                .forEach(e -> sb.append(String.format("  %-28s %8.1f ms  (%d calls)%n", e.getKey(),
                        e.getValue()[0] / 1e6, e.getValue()[1])));
        sb.append(String.format("  %-28s %8.1f ms%n", "TOTAL in ops", all / 1e6));
        return sb.toString();
    }
}
