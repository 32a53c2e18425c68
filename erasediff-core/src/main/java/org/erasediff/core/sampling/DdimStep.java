package org.erasediff.core.sampling;

import java.util.Arrays;
import java.util.Objects;
import org.erasediff.core.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One generalised (DDIM) denoising step from timestep t to an earlier t' (ᾱ_{−1} = 1):
 * <pre>
 *   x̂_0  = (x_t − √(1−ᾱ_t)·ε̃) / √ᾱ_t          (optionally clipped to [−1, 1])
 *   σ    = η·√((1 − ᾱ_t/ᾱ_t')·(1 − ᾱ_t')/(1 − ᾱ_t))
 *   x_t' = √ᾱ_t'·x̂_0 + √(1 − ᾱ_t' − σ²)·ε̂ + σ·z,   ε̂ = (x_t − √ᾱ_t·x̂_0)/√(1−ᾱ_t)
 * </pre>
 * Without clipping ε̂ = ε̃ and this is exactly the DDIM update. With clipping, ε̂ is the noise
 * consistent with the clipped x̂_0, which makes η = 1 with stride 1 exactly the reference
 * DDPM ancestral step (posterior mean of q(x_{t−1} | x_t, x̂_0), variance β̃_t).
 * η = 0 is deterministic DDIM. Instances are immutable and thread-safe.
 */
public final class DdimStep {

    private final NoiseSchedule schedule;
    private final double eta;
    private final boolean clip;

    /**
     * @param schedule the noise schedule the model was trained with
     * @param eta      stochasticity η in [0, 1]: 0 = deterministic DDIM, 1 = DDPM-like
     * @param clip     whether to clip x̂_0 to [−1, 1] at every step
     */
    public DdimStep(NoiseSchedule schedule, double eta, boolean clip) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        if (!(eta >= 0 && eta <= 1)) {
            throw new IllegalArgumentException("eta must be in [0, 1], got " + eta);
        }
        this.eta = eta;
        this.clip = clip;
    }

    /**
     * The standard deviation of the fresh noise this step adds.
     *
     * @param t     current timestep in [0, T)
     * @param tPrev target timestep in [−1, t)
     * @return σ; 0 when η = 0 or tPrev = −1, in which case {@link #step} needs no noise
     */
    public double sigma(int t, int tPrev) {
        checkSteps(t, tPrev);
        double abT = schedule.alphaBar(t);
        double abPrev = schedule.alphaBar(tPrev);
        return eta * Math.sqrt(Math.max(0.0, (1 - abT / abPrev) * (1 - abPrev) / (1 - abT)));
    }

    /**
     * Takes the step in place. No arrays are allocated.
     *
     * @param xt       x_t {@code [B, ...]}, floating point; overwritten with x_t'
     * @param epsTilde the (guided) noise prediction ε̃ for x_t, same shape and type; used as
     *                 scratch: on return it holds x̂_0 (clipped if clipping is on)
     * @param t        current timestep in [0, T)
     * @param tPrev    target timestep in [−1, t); −1 makes x_t' = x̂_0
     * @param noise    standard normal z, same shape and type, not modified; may be null when
     *                 {@link #sigma}(t, tPrev) is 0
     */
    public void step(INDArray xt, INDArray epsTilde, int t, int tPrev, INDArray noise) {
        Objects.requireNonNull(xt, "xt");
        Objects.requireNonNull(epsTilde, "epsTilde");
        if (!xt.dataType().isFPType()) {
            throw new IllegalArgumentException("xt must be floating point, got " + xt.dataType());
        }
        checkSameLayout("epsTilde", xt, epsTilde);
        double sigma = sigma(t, tPrev);
        if (sigma > 0) {
            if (noise == null) {
                throw new IllegalArgumentException("noise is required when sigma > 0 (sigma = " + sigma
                        + " for t = " + t + ", tPrev = " + tPrev + ", eta = " + eta + ")");
            }
            checkSameLayout("noise", xt, noise);
        }
        double a = schedule.sqrtAlphaBar(t);
        double b = schedule.sqrtOneMinusAlphaBar(t);
        double aPrev = schedule.sqrtAlphaBar(tPrev);
        double c = Math.sqrt(Math.max(0.0, 1 - schedule.alphaBar(tPrev) - sigma * sigma));

        // epsTilde <- x̂_0 = xt/a − (b/a)·ε̃
        epsTilde.muli(-b / a);
        Nd4j.exec(new Axpy(xt, epsTilde, epsTilde, 1.0 / a));
        if (clip) {
            Transforms.max(epsTilde, -1.0, false);
            Transforms.min(epsTilde, 1.0, false);
        }
        // xt <- aPrev·x̂_0 + c·(xt − a·x̂_0)/b + σ·z = (c/b)·xt + (aPrev − c·a/b)·x̂_0 + σ·z
        xt.muli(c / b);
        Nd4j.exec(new Axpy(epsTilde, xt, xt, aPrev - c * a / b));
        if (sigma > 0) {
            Nd4j.exec(new Axpy(noise, xt, xt, sigma));
        }
    }

    /** @return η */
    public double eta() {
        return eta;
    }

    /** @return whether x̂_0 is clipped to [−1, 1] */
    public boolean clip() {
        return clip;
    }

    private void checkSteps(int t, int tPrev) {
        int n = schedule.numTimesteps();
        if (t < 0 || t >= n) {
            throw new IllegalArgumentException("t must be in [0, " + n + "), got " + t);
        }
        if (tPrev < -1 || tPrev >= t) {
            throw new IllegalArgumentException("tPrev must be in [-1, t=" + t + "), got " + tPrev);
        }
    }

    private static void checkSameLayout(String name, INDArray xt, INDArray other) {
        if (!Arrays.equals(xt.shape(), other.shape()) || xt.dataType() != other.dataType()) {
            throw new IllegalArgumentException(name + " must match xt: expected " + xt.dataType() + " "
                    + Arrays.toString(xt.shape()) + ", got " + other.dataType() + " " + Arrays.toString(other.shape()));
        }
    }
}
