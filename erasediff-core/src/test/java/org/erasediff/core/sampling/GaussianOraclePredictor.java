package org.erasediff.core.sampling;

import java.util.Map;
import org.erasediff.core.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The exact noise predictor for Gaussian data x_0 ~ N(μ, s²·I), one μ per label (key
 * {@link NoisePredictor#NULL_LABEL} for the unconditional rows or model), computed in double:
 * x_t ~ N(√ᾱ_t·μ, v_t·I) with v_t = ᾱ_t·s² + 1 − ᾱ_t, so
 * ε*(x_t, t) = √(1−ᾱ_t)·(x_t − √ᾱ_t·μ)/v_t.
 *
 * <p>Its probability-flow ODE keeps the standardised value (x_t − √ᾱ_t·μ)/√v_t fixed, so the
 * exact deterministic map from x_T (at t = T−1) to x_0 is {@link #exactX0}.
 */
final class GaussianOraclePredictor implements NoisePredictor {

    private final NoiseSchedule schedule;
    private final Map<Integer, Double> means;
    private final double s;
    private final boolean conditional;

    GaussianOraclePredictor(NoiseSchedule schedule, Map<Integer, Double> means, double s, boolean conditional) {
        this.schedule = schedule;
        this.means = means;
        this.s = s;
        this.conditional = conditional;
    }

    @Override
    public INDArray predictNoise(INDArray xt, int[] timesteps, int[] labels) {
        int rows = timesteps.length;
        double[][] x = xt.reshape(rows, -1).toDoubleMatrix();
        double[][] eps = new double[rows][];
        for (int i = 0; i < rows; i++) {
            double mu = means.get(labels == null ? NULL_LABEL : labels[i]);
            double ab = schedule.alphaBar(timesteps[i]);
            double a = Math.sqrt(ab);
            double b = Math.sqrt(1 - ab);
            double v = ab * s * s + 1 - ab;
            eps[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                eps[i][j] = b * (x[i][j] - a * mu) / v;
            }
        }
        return Nd4j.create(eps).castTo(xt.dataType()).reshape(xt.shape());
    }

    @Override
    public boolean isConditional() {
        return conditional;
    }

    /**
     * The exact end point of the probability-flow ODE for data N(mu, s²·I).
     *
     * @param xT x at t = T−1, flattened
     * @return x_0 = mu + s·(x_T − √ᾱ_T·mu)/√v_T
     */
    static double[] exactX0(NoiseSchedule schedule, double mu, double s, double[] xT) {
        int last = schedule.numTimesteps() - 1;
        double ab = schedule.alphaBar(last);
        double sd = Math.sqrt(ab * s * s + 1 - ab);
        double[] out = new double[xT.length];
        for (int j = 0; j < xT.length; j++) {
            out[j] = mu + s * (xT[j] - Math.sqrt(ab) * mu) / sd;
        }
        return out;
    }
}
