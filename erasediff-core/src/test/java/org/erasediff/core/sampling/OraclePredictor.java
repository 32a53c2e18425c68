package org.erasediff.core.sampling;

import java.util.Map;
import org.erasediff.core.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A test predictor that knows the clean image: for each row it returns
 * ε = (x_t − √ᾱ_t·x_0)/√(1−ᾱ_t), computed in double, where x_0 is the template of the row's
 * label (unconditional: the template under key {@link NoisePredictor#NULL_LABEL}).
 */
final class OraclePredictor implements NoisePredictor {

    private final NoiseSchedule schedule;
    private final Map<Integer, double[]> templates;
    private final boolean conditional;

    OraclePredictor(NoiseSchedule schedule, Map<Integer, double[]> templates, boolean conditional) {
        this.schedule = schedule;
        this.templates = templates;
        this.conditional = conditional;
    }

    @Override
    public INDArray predictNoise(INDArray xt, int[] timesteps, int[] labels) {
        int rows = timesteps.length;
        double[][] x = xt.reshape(rows, -1).toDoubleMatrix();
        double[][] eps = new double[rows][];
        for (int i = 0; i < rows; i++) {
            double[] x0 = templates.get(labels == null ? NULL_LABEL : labels[i]);
            double a = schedule.sqrtAlphaBar(timesteps[i]);
            double b = schedule.sqrtOneMinusAlphaBar(timesteps[i]);
            eps[i] = new double[x0.length];
            for (int j = 0; j < x0.length; j++) {
                eps[i][j] = (x[i][j] - a * x0[j]) / b;
            }
        }
        return Nd4j.create(eps).castTo(xt.dataType()).reshape(xt.shape());
    }

    @Override
    public boolean isConditional() {
        return conditional;
    }
}
