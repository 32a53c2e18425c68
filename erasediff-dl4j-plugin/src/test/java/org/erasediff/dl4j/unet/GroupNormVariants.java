package org.erasediff.dl4j.unet;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

import java.util.Map;

/**
 * GroupNorm formulations measured against {@link GroupNorm} by {@link UNetBenchmark}; all compute
 * the same function.
 */
final class GroupNormVariants {

    private GroupNormVariants() {
    }

    /** Name → formulation; "expand" is the production {@link GroupNorm#apply}. */
    static final Map<String, UNetBuilder.Normalization> ALL = Map.of(
            "channel", GroupNorm::apply,
            "expand", GroupNormVariants::expand,
            "standardize", GroupNormVariants::standardize,
            "moments", GroupNormVariants::moments,
            "layernorm", GroupNormVariants::layerNorm);

    /** Group view [B,G,n]: mean, centre, squaredNorm, factor s·γ expanded by adding zeros, multiply. */
    static SDVariable expand(SDVariable x, SDVariable gamma, SDVariable beta, int channels, int groups,
                             int height, int width, double epsilon) {
        SameDiff sd = x.getSameDiff();
        int perGroup = channels / groups;
        long hw = (long) height * width;
        long n = perGroup * hw;
        SDVariable grouped = x.reshape(-1, groups, n);
        SDVariable mean = sd.mean(grouped, true, 2);
        SDVariable centred = grouped.sub(mean);
        SDVariable variance = sd.squaredNorm(centred, true, 2).div(n);
        SDVariable invStd = sd.math().rsqrt(variance.add(epsilon));
        SDVariable factor = invStd.mul(gamma.reshape(1, groups, perGroup))
                .reshape(-1, groups, perGroup, 1)
                .add(sd.constant(org.nd4j.linalg.factory.Nd4j.zeros(x.dataType(), 1, 1, 1, hw)));
        SDVariable normalised = centred.reshape(-1, groups, perGroup, hw).mul(factor)
                .reshape(-1, channels, height, width);
        return sd.nn().biasAdd(normalised, beta, true);
    }

    /** standardize over the group view, then broadcast multiply by γ[1,C,1,1] and biasAdd β. */
    static SDVariable standardize(SDVariable x, SDVariable gamma, SDVariable beta, int c, int g, int h, int w,
                                  double eps) {
        SameDiff sd = x.getSameDiff();
        SDVariable y = sd.math().standardize(x.reshape(-1, g, (long) c / g * h * w), 2).reshape(-1, c, h, w);
        return sd.nn().biasAdd(y.mul(gamma.reshape(1, c, 1, 1)), beta, true);
    }

    /** layerNorm (unit gain) over the group view, then the same affine as {@link #standardize}. */
    static SDVariable layerNorm(SDVariable x, SDVariable gamma, SDVariable beta, int c, int g, int h, int w,
                                double eps) {
        SameDiff sd = x.getSameDiff();
        SDVariable ones = sd.constant(org.nd4j.linalg.factory.Nd4j.ones(x.dataType(), g));
        SDVariable y = sd.nn().layerNorm(x.reshape(-1, g, (long) c / g * h * w), ones, true, 2)
                .reshape(-1, c, h, w);
        return sd.nn().biasAdd(y.mul(gamma.reshape(1, c, 1, 1)), beta, true);
    }

    /** Hand-made from moments with broadcast multiplies (the formulation PLATFORM.md timed). */
    static SDVariable moments(SDVariable x, SDVariable gamma, SDVariable beta, int c, int g, int h, int w,
                              double eps) {
        SameDiff sd = x.getSameDiff();
        SDVariable r = x.reshape(-1, g, (long) c / g * h * w);
        SDVariable mean = r.mean(true, 2);
        SDVariable xc = r.sub(mean);
        SDVariable var = xc.mul(xc).mean(true, 2);
        SDVariable y = xc.mul(sd.math().rsqrt(var.add(eps))).reshape(-1, c, h, w);
        return y.mul(gamma.reshape(1, c, 1, 1)).add(beta.reshape(1, c, 1, 1));
    }
}
