package org.erasediff.core.sampling;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A test predictor returning the constant {@code cond} for rows with a real label and
 * {@code uncond} for NULL_LABEL rows (or every row of an unconditional model), recording
 * each call's timesteps and labels.
 */
final class RecordingPredictor implements NoisePredictor {

    final List<int[]> timesteps = new ArrayList<>();
    final List<int[]> labels = new ArrayList<>();
    private final double cond;
    private final double uncond;
    private final boolean conditional;

    RecordingPredictor(double cond, double uncond, boolean conditional) {
        this.cond = cond;
        this.uncond = uncond;
        this.conditional = conditional;
    }

    @Override
    public INDArray predictNoise(INDArray xt, int[] ts, int[] ls) {
        timesteps.add(ts.clone());
        labels.add(ls == null ? null : ls.clone());
        INDArray out = Nd4j.createUninitialized(xt.dataType(), xt.shape());
        for (int i = 0; i < ts.length; i++) {
            out.slice(i).assign(ls == null || ls[i] == NULL_LABEL ? uncond : cond);
        }
        return out;
    }

    @Override
    public boolean isConditional() {
        return conditional;
    }
}
