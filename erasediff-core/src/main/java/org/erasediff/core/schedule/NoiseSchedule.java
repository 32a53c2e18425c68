package org.erasediff.core.schedule;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An immutable diffusion noise schedule: β_t, α_t = 1 − β_t and ᾱ_t = ∏_{s≤t} α_s for
 * t = 0..T−1, all in double precision, plus the forward noising process
 * x_t = √ᾱ_t·x_0 + √(1−ᾱ_t)·ε.
 *
 * <p>The ᾱ accessors also accept t = −1 and return ᾱ_{−1} = 1 there (the value a sampler's
 * last step, from t to "before 0", needs). Instances are thread-safe.
 */
public final class NoiseSchedule {

    /** Offset s of the cosine schedule (Nichol &amp; Dhariwal). */
    public static final double COSINE_OFFSET = 0.008;
    /** Upper clip for β_t in the cosine schedule. */
    public static final double COSINE_MAX_BETA = 0.999;

    private final ScheduleConfig config;
    private final double[] betas;
    private final double[] alphaBars;
    private final double[] sqrtAlphaBars;
    private final double[] sqrtOneMinusAlphaBars;

    private NoiseSchedule(ScheduleConfig config, double[] betas) {
        this.config = config;
        this.betas = betas;
        int n = betas.length;
        alphaBars = new double[n];
        sqrtAlphaBars = new double[n];
        sqrtOneMinusAlphaBars = new double[n];
        double product = 1.0;
        for (int t = 0; t < n; t++) {
            product *= 1.0 - betas[t];
            alphaBars[t] = product;
            sqrtAlphaBars[t] = Math.sqrt(product);
            sqrtOneMinusAlphaBars[t] = Math.sqrt(1.0 - product);
        }
    }

    /**
     * Builds the schedule a config describes.
     *
     * @param config a schedule description (validated again here)
     * @return the schedule
     */
    public static NoiseSchedule create(ScheduleConfig config) {
        Objects.requireNonNull(config, "config");
        config.validate();
        int n = config.timesteps();
        double[] betas = new double[n];
        switch (config.type()) {
            case LINEAR -> {
                for (int t = 0; t < n; t++) {
                    betas[t] = lerp(config.betaStart(), config.betaEnd(), t, n);
                }
            }
            case SCALED_LINEAR -> {
                double from = Math.sqrt(config.betaStart());
                double to = Math.sqrt(config.betaEnd());
                for (int t = 0; t < n; t++) {
                    double root = lerp(from, to, t, n);
                    betas[t] = root * root;
                }
            }
            case COSINE -> {
                for (int t = 0; t < n; t++) {
                    double ratio = cosineF((t + 1.0) / n) / cosineF((double) t / n);
                    betas[t] = Math.min(1.0 - ratio, COSINE_MAX_BETA);
                }
            }
            default -> throw new IllegalArgumentException("unknown schedule type " + config.type());
        }
        return new NoiseSchedule(config, betas);
    }

    /**
     * The DDPM default: linear β from 1e-4 to 0.02 over T = 1000 steps.
     *
     * @return the schedule
     */
    public static NoiseSchedule linear() {
        return create(ScheduleConfig.builder(ScheduleType.LINEAR).build());
    }

    /** {@code from + (to − from)·t/(n−1)}, as numpy's linspace. */
    private static double lerp(double from, double to, int t, int n) {
        return from + (to - from) * t / (n - 1);
    }

    private static double cosineF(double u) {
        double c = Math.cos((u + COSINE_OFFSET) / (1.0 + COSINE_OFFSET) * Math.PI / 2.0);
        return c * c;
    }

    /** @return the config this schedule was built from */
    public ScheduleConfig config() {
        return config;
    }

    /** @return T, the number of timesteps (valid t are 0..T−1) */
    public int numTimesteps() {
        return betas.length;
    }

    /**
     * @param t timestep in [0, T)
     * @return β_t
     */
    public double beta(int t) {
        return betas[checkStep(t)];
    }

    /**
     * @param t timestep in [0, T)
     * @return α_t = 1 − β_t
     */
    public double alpha(int t) {
        return 1.0 - betas[checkStep(t)];
    }

    /**
     * @param t timestep in [−1, T)
     * @return ᾱ_t, with ᾱ_{−1} = 1
     */
    public double alphaBar(int t) {
        return checkStepOrBefore(t) < 0 ? 1.0 : alphaBars[t];
    }

    /**
     * @param t timestep in [−1, T)
     * @return √ᾱ_t, with value 1 at t = −1
     */
    public double sqrtAlphaBar(int t) {
        return checkStepOrBefore(t) < 0 ? 1.0 : sqrtAlphaBars[t];
    }

    /**
     * @param t timestep in [−1, T)
     * @return √(1 − ᾱ_t), with value 0 at t = −1
     */
    public double sqrtOneMinusAlphaBar(int t) {
        return checkStepOrBefore(t) < 0 ? 0.0 : sqrtOneMinusAlphaBars[t];
    }

    /**
     * Forward noising into a new array: x_t = √ᾱ_t·x_0 + √(1−ᾱ_t)·ε, one t per sample.
     *
     * @param x0  clean samples {@code [B, ...]} (usually {@code [B, C, H, W]}); not modified
     * @param eps noise, same shape and data type as x0; not modified
     * @param t   one timestep in [0, T) per sample (length B)
     * @return a new array x_t, owned by the caller
     */
    public INDArray addNoise(INDArray x0, INDArray eps, int[] t) {
        Objects.requireNonNull(x0, "x0");
        return addNoise(x0, eps, t, Nd4j.createUninitialized(x0.dataType(), x0.shape()));
    }

    /**
     * Forward noising into a caller-provided buffer: out = √ᾱ_t·x_0 + √(1−ᾱ_t)·ε, one t per
     * sample. Apart from two {@code [B, 1, ..., 1]} coefficient arrays nothing is allocated.
     *
     * <p>{@code out} may be the very same object as {@code x0} or as {@code eps} (that input is
     * then overwritten), or a separate array; it must not otherwise overlap them. The inputs
     * that are not {@code out} are not modified.
     *
     * @param x0  clean samples {@code [B, ...]}, floating point
     * @param eps noise, same shape and data type as x0
     * @param t   one timestep in [0, T) per sample (length B)
     * @param out receives x_t; same shape and data type as x0
     * @return {@code out}
     */
    public INDArray addNoise(INDArray x0, INDArray eps, int[] t, INDArray out) {
        Objects.requireNonNull(x0, "x0");
        Objects.requireNonNull(eps, "eps");
        Objects.requireNonNull(t, "t");
        Objects.requireNonNull(out, "out");
        checkSameLayout("eps", x0, eps);
        checkSameLayout("out", x0, out);
        if (!x0.dataType().isFPType()) {
            throw new IllegalArgumentException("x0 must be floating point, got " + x0.dataType());
        }
        if (x0.rank() == 0) {
            throw new IllegalArgumentException("x0 must have a batch axis [B, ...], got a scalar");
        }
        if (x0.size(0) != t.length) {
            throw new IllegalArgumentException("t must hold one timestep per sample: expected "
                    + x0.size(0) + " entries, got " + t.length);
        }
        if (x0 == eps && out == x0) {
            throw new IllegalArgumentException("x0, eps and out must not all be the same array");
        }
        // a·x0 + b·eps is computed as a·(x0 + (b/a)·eps), or, when out is x0, as b·((a/b)·x0 + eps):
        // three in-place broadcast ops and no temporary of the sample size. a, b > 0 for t in [0, T).
        double[] ratio = new double[t.length];
        double[] scale = new double[t.length];
        boolean intoX0 = out == x0;
        for (int i = 0; i < t.length; i++) {
            double a = sqrtAlphaBars[checkStep(t[i])];
            double b = sqrtOneMinusAlphaBars[t[i]];
            ratio[i] = intoX0 ? a / b : b / a;
            scale[i] = intoX0 ? b : a;
        }
        long[] coefShape = new long[x0.rank()];
        Arrays.fill(coefShape, 1L);
        coefShape[0] = t.length;
        INDArray ratioArr = Nd4j.create(ratio, coefShape, x0.dataType());
        INDArray scaleArr = Nd4j.create(scale, coefShape, x0.dataType());
        if (intoX0) {
            out.muli(ratioArr).addi(eps).muli(scaleArr);
        } else {
            eps.muli(ratioArr, out).addi(x0).muli(scaleArr);
        }
        return out;
    }

    private static void checkSameLayout(String name, INDArray x0, INDArray other) {
        if (!Arrays.equals(x0.shape(), other.shape()) || x0.dataType() != other.dataType()) {
            throw new IllegalArgumentException(name + " must match x0: expected " + x0.dataType() + " "
                    + Arrays.toString(x0.shape()) + ", got " + other.dataType() + " " + Arrays.toString(other.shape()));
        }
    }

    private int checkStep(int t) {
        if (t < 0 || t >= betas.length) {
            throw new IllegalArgumentException("timestep must be in [0, " + betas.length + "), got " + t);
        }
        return t;
    }

    private int checkStepOrBefore(int t) {
        if (t < -1 || t >= betas.length) {
            throw new IllegalArgumentException("timestep must be in [-1, " + betas.length + "), got " + t);
        }
        return t;
    }

    @Override
    public String toString() {
        return "NoiseSchedule" + config;
    }
}
