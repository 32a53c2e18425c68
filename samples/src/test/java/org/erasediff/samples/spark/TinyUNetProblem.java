package org.erasediff.samples.spark;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.schedule.ScheduleType;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.sweep.SweepProblem;
import org.erasediff.dl4j.sweep.SweepScorer;
import org.erasediff.dl4j.unet.UNetBuilder;
import org.erasediff.dl4j.unet.UNetConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A tiny reference UNet (8×8, 3 classes) forgetting class 0 of 8×8 bars (class c: a bright column
 * band at position c); scored by mean absolute denoising error on fixed noisy images:
 * {@code p_forget = exp(−error on class 0)}, {@code p_forget_sa = exp(−3·error)},
 * {@code fid_remain = 10 × error on the kept classes}. The first scorer call after
 * {@link #FAIL_ONCE} is set throws, as a lost task would.
 */
final class TinyUNetProblem implements SweepProblem {

    private static final long serialVersionUID = 1L;

    /** When set, the next scorer call in this JVM fails (and clears it). */
    static final AtomicBoolean FAIL_ONCE = new AtomicBoolean();
    /** Scorer calls in this JVM. */
    static final AtomicInteger SCORED = new AtomicInteger();

    @Override
    public DiffusionGraph baseModel() {
        return UNetBuilder.buildDiffusionGraph(UNetConfig.builder().optImageSize(8).optWidths(8, 16).optGroups(4)
                .optAttentionHeads(2).optNumClasses(3).optTimeEmbeddingBase(16).optTimeEmbeddingWidth(32).optSeed(4)
                .build());
    }

    @Override
    public ForgetRemainSplit split() {
        int n = 36;
        byte[] px = new byte[n * 64];
        int[] labels = new int[n];
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            ids[i] = i;
            for (int y = 0; y < 8; y++) {
                for (int x = 2 * labels[i]; x < 2 * labels[i] + 3; x++) {
                    px[i * 64 + y * 8 + x] = (byte) 255;
                }
            }
        }
        return ForgetRemainSplit.byClasses(new LabelledImages("bars", 1, 8, 8, 3, px, labels, ids), List.of(0));
    }

    @Override
    public ScheduleConfig schedule() {
        return ScheduleConfig.builder(ScheduleType.LINEAR).build();
    }

    @Override
    public SweepScorer scorer() {
        ForgetRemainSplit s = split();
        return (model, id) -> {
            if (FAIL_ONCE.getAndSet(false)) {
                throw new IOException("scorer lost (injected)");
            }
            SCORED.incrementAndGet();
            double f = error(model, s.forget());
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("p_forget", Math.exp(-f));
            m.put("p_forget_sa", Math.exp(-3 * f));
            m.put("fid_remain", 10 * error(model, s.remain()));
            return m;
        };
    }

    private double error(DiffusionGraph model, LabelledImages images) {
        int[] rows = {0, 1, 2, 3, 4, 5};
        INDArray x0 = Nd4j.create(DataType.FLOAT, rows.length, 1, 8, 8);
        images.copyScaled(rows, x0, null);
        int[] t = {50, 200, 350, 500, 650, 800};
        int[] labels = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            labels[i] = images.label(i);
        }
        INDArray eps = Nd4j.linspace(-1.5, 1.5, x0.length(), DataType.FLOAT).reshape(x0.shape());
        INDArray xt = NoiseSchedule.create(schedule()).addNoise(x0, eps, t);
        return model.predictNoise(xt, t, labels).sub(eps).norm1Number().doubleValue() / eps.length();
    }
}
