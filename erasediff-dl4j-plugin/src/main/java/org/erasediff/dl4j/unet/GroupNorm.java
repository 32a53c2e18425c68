package org.erasediff.dl4j.unet;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Group normalisation (Wu &amp; He, 2018) composed from SameDiff ops, since ND4J 1.0.0-M2.1 has
 * no GroupNorm op.
 *
 * <p>For {@code x} of shape {@code [B, C, H, W]} split into {@code G} groups of {@code C/G}
 * channels: {@code y[b,c,h,w] = γ[c]·(x[b,c,h,w] − μ[b,g])/√(σ²[b,g] + ε) + β[c]}, where μ and
 * σ² are the mean and (biased, two-pass) variance over the group's {@code C/G·H·W} values.
 *
 * <p>The composition is chosen for a cheap <em>backward</em> pass on M2.1, where the generic
 * {@code multiply_bp} with a broadcast operand (e.g. {@code [B,C,H,W]·[1,C,1,1]}) is 10–20×
 * slower than a same-shape multiply, {@code standardize_bp} and {@code layer_norm_bp} are slow,
 * and every {@code reshape} copies its input. The full-size tensor is therefore never reshaped;
 * statistics are reduced per channel over {@code (H, W)} (contiguous in NCHW) and combined into
 * group statistics on tiny {@code [B, C]} arrays:
 * <ol>
 *   <li>per-channel means → group means μ (tiny reshape + mean), broadcast back per channel;</li>
 *   <li>{@code xc = x − μ} (broadcast subtract: cheap backward);</li>
 *   <li>per-channel {@code squaredNorm(xc)} over {@code (H, W)} (backward is one pass) → group
 *       variance σ² → {@code s = rsqrt(σ² + ε)};</li>
 *   <li>the per-(sample, channel) factor {@code s[b,g]·γ[c]} is expanded to the full shape by a
 *       broadcast <em>add</em> of a zero constant {@code [1, 1, H, W]} (cheap backward), then
 *       multiplied with {@code xc} element-wise (same shapes, cheap backward);</li>
 *   <li>β is added with {@code biasAdd} (NCHW).</li>
 * </ol>
 * The measured alternatives are in the plugin's test sources ({@code GroupNormVariants},
 * {@code UNetBenchmark}).
 */
public final class GroupNorm {

    private GroupNorm() {
    }

    /**
     * Adds a group normalisation of {@code x} to {@code x}'s graph.
     *
     * @param x        input {@code [B, channels, height, width]} (B may be dynamic); not modified
     * @param gamma    per-channel scale, shape {@code [channels]}
     * @param beta     per-channel shift, shape {@code [channels]}
     * @param channels number of channels of {@code x}
     * @param groups   number of groups; must divide {@code channels}
     * @param height   spatial height of {@code x}
     * @param width    spatial width of {@code x}
     * @param epsilon  variance epsilon, &gt; 0
     * @return the normalised variable, shape {@code [B, channels, height, width]}
     * @throws IllegalArgumentException if a size is not positive, groups does not divide channels,
     *                                  or epsilon is not positive
     */
    public static SDVariable apply(SDVariable x, SDVariable gamma, SDVariable beta, int channels, int groups,
                                   int height, int width, double epsilon) {
        if (channels <= 0 || groups <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("channels, groups, height and width must be positive, found "
                    + channels + ", " + groups + ", " + height + ", " + width);
        }
        if (channels % groups != 0) {
            throw new IllegalArgumentException("groups must divide channels = " + channels + ", found " + groups);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be > 0, found " + epsilon);
        }
        SameDiff sd = x.getSameDiff();
        int perGroup = channels / groups;
        long n = (long) perGroup * height * width;

        SDVariable channelMean = sd.mean(x, false, 2, 3).reshape(-1, groups, perGroup);          // [B, G, C/G]
        SDVariable groupMean = sd.mean(channelMean, true, 2);                                     // [B, G, 1]
        SDVariable centred = x.sub(perChannel(groupMean, groups, perGroup, channels));            // [B, C, H, W]
        SDVariable channelSq = sd.squaredNorm(centred, false, 2, 3).reshape(-1, groups, perGroup);
        SDVariable invStd = sd.math().rsqrt(sd.sum(channelSq, true, 2).div(n).add(epsilon));   // [B, G, 1]
        SDVariable factor = invStd.mul(gamma.reshape(1, groups, perGroup)).reshape(-1, channels, 1, 1)
                .add(sd.constant(Nd4j.zeros(x.dataType(), 1, 1, height, width)));                // [B, C, H, W]
        return sd.nn().biasAdd(centred.mul(factor), beta, true);
    }

    /** Repeats a per-group value [B, G, 1] for each channel of its group: [B, C, 1, 1]. */
    private static SDVariable perChannel(SDVariable perGroup, int groups, int size, int channels) {
        SameDiff sd = perGroup.getSameDiff();
        SDVariable zeros = sd.constant(Nd4j.zeros(perGroup.dataType(), 1, 1, size));
        return perGroup.add(zeros).reshape(-1, channels, 1, 1);
    }
}
