package org.erasediff.dl4j.sweep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.schedule.ScheduleType;
import org.erasediff.testing.TinyGraphs;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The tiny conditional graph forgetting stripe class 0, scored by denoising errors on fixed noisy
 * images: {@code p_forget = exp(−MSE on class 0)} (falls as the class is forgotten),
 * {@code p_forget_sa = exp(−2·MSE)}, {@code fid_remain} = 100 × MSE on the kept classes.
 */
record TinySweepProblem(long graphSeed) implements SweepProblem {

    /** Scorer calls in this JVM (to see which candidates ran). */
    static final AtomicInteger SCORED = new AtomicInteger();

    @Override
    public DiffusionGraph baseModel() {
        return new DiffusionGraph(TinyGraphs.conditional(3, graphSeed), TinyGraphs.conditionalSpec(3));
    }

    @Override
    public ForgetRemainSplit split() {
        return ForgetRemainSplit.byClasses(TinyGraphs.stripes(48), List.of(0));
    }

    @Override
    public ScheduleConfig schedule() {
        return ScheduleConfig.builder(ScheduleType.LINEAR).build();
    }

    @Override
    public SweepScorer scorer() {
        ForgetRemainSplit s = split();
        return (model, id) -> {
            SCORED.incrementAndGet();
            double f = mse(model, s.forget().subset(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, "f"));
            double r = mse(model, s.remain().subset(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, "r"));
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("p_forget", Math.exp(-f));
            m.put("p_forget_sa", Math.exp(-2 * f));
            m.put("fid_remain", 100 * r);
            return m;
        };
    }

    private double mse(DiffusionGraph model, org.erasediff.core.data.LabelledImages images) {
        int n = images.size();
        INDArray x0 = Nd4j.create(DataType.FLOAT, n, 1, 6, 6);
        int[] pos = new int[n];
        int[] labels = new int[n];
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            pos[i] = i;
            labels[i] = images.label(i);
            t[i] = 100 + 100 * i;
        }
        images.copyScaled(pos, x0, null);
        Nd4j.getRandom().setSeed(11);
        INDArray eps = Nd4j.randn(DataType.FLOAT, x0.shape());
        INDArray xt = x0.ulike();
        NoiseSchedule.create(schedule()).addNoise(x0, eps, t, xt);
        INDArray pred = model.predictNoise(xt, t, labels);
        return pred.sub(eps).norm2Number().doubleValue() / Math.sqrt(eps.length());
    }
}
