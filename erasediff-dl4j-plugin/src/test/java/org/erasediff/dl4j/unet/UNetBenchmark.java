package org.erasediff.dl4j.unet;

import org.erasediff.dl4j.listen.OpTimingListener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Timing of the GroupNorm formulations and of the default UNet (not a test; run by hand).
 *
 * <p>{@code java -cp ... org.erasediff.dl4j.unet.UNetBenchmark gn|unet <variant>} with
 * {@code -Dbatch=64 -Dreps=5 -Dprofile=false}; variants are the keys of
 * {@link GroupNormVariants#ALL}. Prints one {@code RESULT} line with the median and minimum of
 * {@code sd.output} (forward) and {@code sd.calculateGradients} over all parameters
 * (forward + backward), and the process CPU time of the latter. Run one variant per JVM: earlier
 * graphs in the same JVM slow later ones. On a shared 2-core machine set {@code OMP_NUM_THREADS=1}:
 * with two OpenMP threads and other busy processes a step was ~4× slower than with one.
 *
 * <p>Example, from the repository root:
 * <pre>
 * mvn -o -q -pl erasediff-dl4j-plugin -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp.txt
 * OMP_NUM_THREADS=1 java -Xmx2g -Dreps=6 \
 *     -cp erasediff-dl4j-plugin/target/test-classes:erasediff-dl4j-plugin/target/classes:$(cat /tmp/cp.txt) \
 *     org.erasediff.dl4j.unet.UNetBenchmark unet channel
 * </pre>
 */
public final class UNetBenchmark {

    private UNetBenchmark() {
    }

    /** Entry point; see the class comment for arguments. */
    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "unet";
        String variant = args.length > 1 ? args[1] : "expand";
        int batch = Integer.getInteger("batch", 64);
        int reps = Integer.getInteger("reps", 5);
        boolean profile = Boolean.getBoolean("profile");
        UNetBuilder.Normalization norm = GroupNormVariants.ALL.get(variant);
        if (norm == null) {
            throw new IllegalArgumentException("variant must be one of " + GroupNormVariants.ALL.keySet()
                    + ", found " + variant);
        }
        SameDiff sd;
        Map<String, INDArray> feed = new HashMap<>();
        String out;
        if (mode.equals("gn")) {
            int c = 32, res = 28;
            sd = SameDiff.create();
            SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, c, res, res)
                    .add(sd.var("shift", Nd4j.scalar(0f)));
            SDVariable y = norm.apply(x, sd.var("gamma", Nd4j.ones(DataType.FLOAT, c)),
                    sd.var("beta", Nd4j.zeros(DataType.FLOAT, c)), c, 8, res, res, 1e-5);
            out = y.name();
            y.mul(sd.constant(Nd4j.randn(DataType.FLOAT, batch, c, res, res))).sum().markAsLoss();
            feed.put("x", Nd4j.randn(DataType.FLOAT, batch, c, res, res).muli(2).addi(0.5));
        } else {
            UNetConfig config = UNetConfig.builder().build();
            sd = UNetBuilder.build(config, DataType.FLOAT, norm);
            SDVariable noise = sd.placeHolder("noise", DataType.FLOAT, -1, 1, 28, 28);
            sd.loss().meanSquaredError("loss", noise, sd.getVariable(UNetBuilder.OUTPUT_EPS), null);
            out = UNetBuilder.OUTPUT_EPS;
            feed.put(UNetBuilder.INPUT_X, Nd4j.randn(DataType.FLOAT, batch, 1, 28, 28));
            feed.put(UNetBuilder.INPUT_T, Nd4j.createFromArray(new float[batch]).addi(500));
            feed.put(UNetBuilder.INPUT_LABEL, Nd4j.createFromArray(new int[batch]));
            feed.put("noise", Nd4j.randn(DataType.FLOAT, batch, 1, 28, 28));
            UNetCost cost = UNetCost.of(config, batch);
            System.out.printf("params=%d forwardFlops=%.3fG%n", cost.parameterCount(), cost.forwardFlops() / 1e9);
        }
        List<String> params = sd.variables().stream().filter(v -> v.getVariableType() == VariableType.VARIABLE)
                .map(SDVariable::name).collect(Collectors.toList());
        OpTimingListener timing = new OpTimingListener();
        long[] fwd = new long[reps];
        long[] step = new long[reps];
        long[] stepCpu = new long[reps];
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int i = -2; i < reps; i++) {
            if (profile && i == reps - 1) {
                sd.setListeners(timing);
            }
            long t0 = System.nanoTime();
            sd.output(feed, out);
            long c1 = os.getProcessCpuTime();
            long t1 = System.nanoTime();
            Map<String, INDArray> grads = sd.calculateGradients(feed, params);
            long t2 = System.nanoTime();
            long c2 = os.getProcessCpuTime();
            if (i == -2 && grads.size() != params.size()) {
                throw new IllegalStateException("expected " + params.size() + " gradients, got " + grads.size());
            }
            if (i >= 0) {
                fwd[i] = t1 - t0;
                step[i] = t2 - t1;
                stepCpu[i] = c2 - c1;
            }
        }
        Arrays.sort(fwd);
        Arrays.sort(step);
        Arrays.sort(stepCpu);
        System.out.printf("RESULT %s %-12s batch=%d fwd median %.1f ms min %.1f ms | fwd+bwd median %.1f ms min %.1f ms"
                        + " | fwd+bwd process CPU median %.1f ms min %.1f ms%n",
                mode, variant, batch, fwd[reps / 2] / 1e6, fwd[0] / 1e6, step[reps / 2] / 1e6, step[0] / 1e6,
                stepCpu[reps / 2] / 1e6, stepCpu[0] / 1e6);
        if (profile) {
            System.out.print("PROFILE (last output + calculateGradients)\n" + report(timing, 25));
        }
    }

    private static String report(OpTimingListener timing, int top) {
        StringBuilder sb = new StringBuilder();
        timing.byTotalTime().stream().limit(top).forEach(o -> sb.append(String.format("  %-28s %8.1f ms  (%d calls)%n",
                o.op(), o.nanos() / 1e6, o.count())));
        sb.append(String.format("  %-28s %8.1f ms%n", "TOTAL in ops", timing.totalNanos() / 1e6));
        return sb.toString();
    }
}
