package org.erasediff.eval.classifier;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch normalisation (Ioffe &amp; Szegedy, 2015) over the channels of an NCHW tensor, composed from
 * SameDiff ops: ND4J 1.0.0-M2.1's {@code batchnorm} op has no working backward pass. Semantics are
 * PyTorch's {@code BatchNorm2d}:
 * <ul>
 *   <li>training: {@code y = γ·(x − μ_B)/√(σ²_B + ε) + β} with the batch mean μ_B and the biased
 *       batch variance σ²_B per channel over {@code (N, H, W)}; the gradient flows through μ_B and
 *       σ²_B. The two moments are graph outputs, so a trainer can read them after each step and
 *       update the running averages outside the gradient ({@link #updateRunning});</li>
 *   <li>inference: {@code y = γ·(x − μ_run)/√(σ²_run + ε) + β} with the running statistics held as
 *       constants of the graph.</li>
 * </ul>
 * Composition (as in the plugin's {@code GroupNorm}: broadcast subtract and {@code biasAdd} have
 * cheap backward passes): {@code xc = x − μ_B}; {@code σ²_B = mean(xc²)}; {@code y = xc·(γ/√(σ²_B +
 * ε)) + β}.
 */
public final class ComposedBatchNorm {

    /** PyTorch's default ε. */
    public static final double DEFAULT_EPSILON = 1e-5;
    /** PyTorch's default momentum of the running averages. */
    public static final double DEFAULT_MOMENTUM = 0.1;

    private ComposedBatchNorm() {
    }

    /** Name of the batch mean output of a training-mode normalisation called {@code name}. */
    public static String meanName(String name) {
        return name + "_batch_mean";
    }

    /** Name of the biased batch variance output of a training-mode normalisation called {@code name}. */
    public static String varianceName(String name) {
        return name + "_batch_var";
    }

    /**
     * Training-mode batch normalisation (batch statistics).
     *
     * @param name     prefix of the variables added (the moments are {@link #meanName} and {@link #varianceName})
     * @param x        input {@code [B, C, H, W]}; not modified
     * @param gamma    scale {@code [C]}
     * @param beta     shift {@code [C]}
     * @param channels C
     * @param epsilon  variance ε, &gt; 0
     * @return the normalised variable {@code [B, C, H, W]}
     */
    public static SDVariable training(String name, SDVariable x, SDVariable gamma, SDVariable beta, int channels,
                                      double epsilon) {
        requireArgs(channels, epsilon);
        SameDiff sd = x.getSameDiff();
        SDVariable mean = sd.mean(meanName(name), x, false, 0, 2, 3);                            // [C]
        SDVariable centred = x.sub(mean.reshape(1, channels, 1, 1));                             // [B, C, H, W]
        SDVariable variance = sd.mean(varianceName(name), sd.math().square(centred), false, 0, 2, 3); // biased
        SDVariable scale = sd.math().rsqrt(variance.add(epsilon)).mul(gamma).reshape(1, channels, 1, 1);
        return sd.nn().biasAdd(name, centred.mul(scale), beta, true);
    }

    /**
     * Inference-mode batch normalisation (fixed statistics).
     *
     * @param name        name of the output
     * @param x           input {@code [B, C, H, W]}; not modified
     * @param gamma       scale {@code [C]}
     * @param beta        shift {@code [C]}
     * @param runningMean running mean {@code [C]}
     * @param runningVar  running (unbiased) variance {@code [C]}
     * @param channels    C
     * @param epsilon     variance ε, &gt; 0
     * @return the normalised variable {@code [B, C, H, W]}
     */
    public static SDVariable inference(String name, SDVariable x, SDVariable gamma, SDVariable beta,
                                       SDVariable runningMean, SDVariable runningVar, int channels, double epsilon) {
        requireArgs(channels, epsilon);
        SDVariable scale = x.getSameDiff().math().rsqrt(runningVar.add(epsilon)).mul(gamma);    // [C]
        SDVariable shift = beta.sub(runningMean.mul(scale));                                     // [C]
        return x.getSameDiff().nn().biasAdd(name, x.mul(scale.reshape(1, channels, 1, 1)), shift, true);
    }

    /**
     * Updates running statistics in place the way PyTorch does after a training-mode forward pass:
     * {@code run ← (1 − m)·run + m·batch}, the variance with the unbiased batch variance
     * {@code σ²_B·n/(n − 1)}.
     *
     * @param runningMean   {@code [C]}, updated
     * @param runningVar    {@code [C]}, updated
     * @param batchMean     the batch mean {@code [C]}; not modified
     * @param batchVariance the biased batch variance {@code [C]}; not modified
     * @param count         values per channel in the batch ({@code B·H·W}, &gt; 1)
     * @param momentum      m in (0, 1]
     */
    public static void updateRunning(INDArray runningMean, INDArray runningVar, INDArray batchMean,
                                     INDArray batchVariance, long count, double momentum) {
        if (count < 2) {
            throw new IllegalArgumentException("need more than one value per channel, found " + count);
        }
        if (!(momentum > 0 && momentum <= 1)) {
            throw new IllegalArgumentException("momentum must be in (0, 1], found " + momentum);
        }
        runningMean.muli(1 - momentum).addi(batchMean.castTo(runningMean.dataType()).reshape(runningMean.shape())
                .mul(momentum));
        runningVar.muli(1 - momentum).addi(batchVariance.castTo(runningVar.dataType()).reshape(runningVar.shape())
                .mul(momentum * count / (count - 1.0)));
    }

    private static void requireArgs(int channels, double epsilon) {
        if (channels <= 0) {
            throw new IllegalArgumentException("channels must be > 0, found " + channels);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be > 0, found " + epsilon);
        }
    }
}
