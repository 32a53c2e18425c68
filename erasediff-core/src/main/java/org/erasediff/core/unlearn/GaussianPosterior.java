package org.erasediff.core.unlearn;

import org.erasediff.core.schedule.NoiseSchedule;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The optimal denoiser of a finite set of clean images: for noisy images x_t = √ᾱ_t·x_0 + √(1−ᾱ_t)·ε
 * whose x_0 is one of the pool's images x_1..x_n, uniformly, the posterior weights of the pool images
 * and the log of the mixture density, in double:
 * <pre>
 *   ℓ_j = (2·√ᾱ_t·x_t·x_j − ᾱ_t·‖x_j‖²) / (2(1−ᾱ_t)τ),   w_j = softmax_j(ℓ_j),   x̂_0 = Σ_j w_j·x_j,
 * </pre>
 * ℓ_j being the log-density of x_t under x_j up to terms that are the same for every image of every
 * pool (−‖x_t‖²/(2(1−ᾱ_t)) and the Gaussian's normaliser), so the log-sum-exps of two pools compare.
 * τ (the temperature, 1 for the exact posterior) divides the log-weights. Package-private: the
 * remain-posterior target and the original-minus-forget remain target are built from it.
 */
final class GaussianPosterior {

    /** The rows' noisy images {@code [B, D]} in double (read only: may be the caller's array when it is double). */
    final INDArray x;
    /** √ᾱ_t and √(1−ᾱ_t) of each row. */
    final double[] a;
    final double[] s;

    /**
     * @param xt        the noisy images {@code [B, C, H, W]} (left alone)
     * @param timesteps their timesteps
     * @param schedule  the noise schedule
     */
    GaussianPosterior(INDArray xt, int[] timesteps, NoiseSchedule schedule) {
        int b = (int) xt.size(0);
        x = xt.reshape(b, -1).castTo(DataType.DOUBLE);
        a = new double[b];
        s = new double[b];
        for (int i = 0; i < b; i++) {
            a[i] = schedule.sqrtAlphaBar(timesteps[i]);
            s[i] = schedule.sqrtOneMinusAlphaBar(timesteps[i]);
        }
    }

    /** A pool of clean images {@code [n, C, H, W]} as {@code [n, D]} doubles. */
    static INDArray flat(INDArray images) {
        return images.reshape(images.size(0), -1).castTo(DataType.DOUBLE);
    }

    /**
     * The posterior over a pool: fills {@code weights[i]} with row i's softmax weights and returns each
     * row's log-sum-exp of the log-weights (the log-density of x_t under the pool's mixture, up to the
     * shared terms and the pool's −log n).
     *
     * @param pool        the pool, {@code [n, D]} doubles (see {@link #flat})
     * @param temperature τ, {@code > 0}
     * @param weights     {@code [B][n]}, overwritten
     * @return per row the log-sum-exp
     */
    double[] weights(INDArray pool, double temperature, double[][] weights) {
        return weights(pool, temperature, null, null, weights);
    }

    /**
     * The posterior over the pool images that carry each row's own label: as
     * {@link #weights(INDArray, double, double[][])} with the other images' weights 0.
     *
     * @param pool        the pool, {@code [n, D]} doubles
     * @param temperature τ, {@code > 0}
     * @param rowLabels   each row's label ({@code null}: every row takes the whole pool)
     * @param poolLabels  each pool image's label ({@code null} with {@code rowLabels})
     * @param weights     {@code [B][n]}, overwritten
     * @return per row the log-sum-exp over its own label's images
     * @throws IllegalArgumentException if a row's label has no image in the pool
     */
    double[] weights(INDArray pool, double temperature, int[] rowLabels, int[] poolLabels, double[][] weights) {
        int n = (int) pool.size(0);
        double[] norms = pool.mul(pool).sum(1).toDoubleVector();
        double[][] dots = x.mmul(pool.transpose()).toDoubleMatrix();
        double[] lse = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double[] row = weights[i];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                row[j] = rowLabels != null && poolLabels[j] != rowLabels[i] ? Double.NEGATIVE_INFINITY
                        : (2 * a[i] * dots[i][j] - a[i] * a[i] * norms[j]) / (2 * s[i] * s[i] * temperature);
                max = Math.max(max, row[j]);
            }
            if (max == Double.NEGATIVE_INFINITY) {
                throw new IllegalArgumentException("no pool image carries row " + i + "'s label "
                        + (rowLabels == null ? "" : rowLabels[i]));
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                row[j] = Math.exp(row[j] - max);
                sum += row[j];
            }
            for (int j = 0; j < n; j++) {
                row[j] /= sum;
            }
            lse[i] = max + Math.log(sum);
        }
        return lse;
    }

    /**
     * The noise that makes the estimate of x_0 the posterior mean: (x_t − √ᾱ_t·x̂_0)/√(1−ᾱ_t).
     *
     * @param weights the rows' posterior weights over {@code pool}
     * @param pool    the pool, {@code [n, D]} doubles
     * @return {@code [B, D]} doubles, a new array
     */
    INDArray noise(double[][] weights, INDArray pool) {
        int b = a.length;
        INDArray x0 = Nd4j.create(weights).mmul(pool);
        return x.sub(x0.muliColumnVector(Nd4j.createFromArray(a).reshape(b, 1)))
                .diviColumnVector(Nd4j.createFromArray(s).reshape(b, 1));
    }
}
