package org.erasediff.core.unlearn;

import java.util.Arrays;
import org.erasediff.core.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The remain target {@link RemainTarget#ORIGINAL_WITHOUT_FORGET}: the original model's prediction with
 * the forget data's part of it taken out.
 *
 * <p>A denoiser trained on all the data predicts, at a noisy image x_t, the mixture of what the
 * forget data's and the remaining data's denoisers predict, weighted by how likely x_t came from
 * each: ε_all = P_f·ε_f + (1 − P_f)·ε_r, with P_f(x_t) the posterior probability that x_t was noised
 * from a forget image. Solved for the remaining data's denoiser, with the original model as ε_all:
 * <pre>
 *   ε_r(x_t) = (ε_θ*(x_t) − P_f·ε_f(x_t)) / (1 − P_f),
 *   P_f = π_f·p_f / (π_f·p_f + (1 − π_f)·p_r),
 * </pre>
 * where ε_f and the densities p_f, p_r come from the optimal denoisers of the step's forget batch and
 * remain batch ({@link GaussianPosterior}), and π_f is the forget data's share of the training data.
 * Where x_t is far from every forget image P_f is 0 and the target is the original model's prediction;
 * at high noise levels, where every image is about as likely, P_f is about π_f and the target is the
 * original's prediction with the forget images' share of the posterior mean removed, which the plain
 * {@link RemainTarget#ORIGINAL} target would keep. P_f is capped at {@value #MAX_FORGET_POSTERIOR}, so
 * the division never amplifies the estimate's error by more than 2×.
 */
public final class OriginalWithoutForget {

    /** The cap on P_f: rows that look more like the forget data than this are corrected as if at the cap. */
    public static final double MAX_FORGET_POSTERIOR = 0.5;

    private OriginalWithoutForget() {
    }

    /**
     * Writes the remaining data's denoiser at each row's x_t.
     *
     * @param originalNoise the original model's prediction at the rows, {@code [B, C, H, W]}
     * @param xt            the rows' noisy images, shaped alike
     * @param timesteps     their timesteps
     * @param remainImages  clean remain images the density p_r is estimated from, {@code [n_r, C, H, W]} in [−1, 1]
     * @param forgetImages  clean forget images for p_f and ε_f, {@code [n_f, C, H, W]}
     * @param forgetPrior   π_f, the forget data's share of the training data, in (0, 1)
     * @param schedule      the noise schedule
     * @param out           written with the targets, shaped like {@code xt} (may be {@code originalNoise})
     * @return per row the P_f used (after the cap)
     * @throws IllegalArgumentException if the shapes disagree, a pool is empty or π_f is outside (0, 1)
     */
    public static double[] fill(INDArray originalNoise, INDArray xt, int[] timesteps, INDArray remainImages,
                                INDArray forgetImages, double forgetPrior, NoiseSchedule schedule, INDArray out) {
        int b = (int) xt.size(0);
        long d = xt.length() / Math.max(b, 1);
        if (!(forgetPrior > 0 && forgetPrior < 1)) {
            throw new IllegalArgumentException("forgetPrior must be in (0, 1), was " + forgetPrior);
        }
        if (timesteps.length != b || !Arrays.equals(originalNoise.shape(), xt.shape())
                || remainImages.size(0) < 1 || forgetImages.size(0) < 1
                || remainImages.length() / remainImages.size(0) != d || forgetImages.length() / forgetImages.size(0) != d) {
            throw new IllegalArgumentException("need one timestep and one prediction per row and non-empty pools of the"
                    + " rows' image shape: " + Arrays.toString(xt.shape()) + ", " + timesteps.length + " timesteps, "
                    + "prediction " + Arrays.toString(originalNoise.shape()) + ", remain "
                    + Arrays.toString(remainImages.shape()) + ", forget " + Arrays.toString(forgetImages.shape()));
        }
        GaussianPosterior posterior = new GaussianPosterior(xt, timesteps, schedule);
        INDArray remain = GaussianPosterior.flat(remainImages);
        INDArray forget = GaussianPosterior.flat(forgetImages);
        int nr = (int) remain.size(0);
        int nf = (int) forget.size(0);
        double[] lseRemain = posterior.weights(remain, 1.0, new double[b][nr]);
        double[][] forgetWeights = new double[b][nf];
        double[] lseForget = posterior.weights(forget, 1.0, forgetWeights);
        double priorLogit = Math.log(forgetPrior) - Math.log1p(-forgetPrior);
        double[] pf = new double[b];
        for (int i = 0; i < b; i++) {
            double logit = priorLogit + (lseForget[i] - Math.log(nf)) - (lseRemain[i] - Math.log(nr));
            pf[i] = Math.min(MAX_FORGET_POSTERIOR, 1 / (1 + Math.exp(-logit)));
        }
        INDArray forgetNoise = posterior.noise(forgetWeights, forget);
        INDArray p = Nd4j.createFromArray(pf).reshape(b, 1);
        INDArray target = originalNoise.reshape(b, -1).castTo(DataType.DOUBLE)
                .sub(forgetNoise.mulColumnVector(p))
                .diviColumnVector(p.rsub(1.0));
        out.assign(target.castTo(out.dataType()).reshape(out.shape()));
        return pf;
    }
}
