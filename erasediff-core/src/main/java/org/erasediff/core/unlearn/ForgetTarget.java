package org.erasediff.core.unlearn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.erasediff.core.sampling.NoisePredictor;
import org.erasediff.core.schedule.NoiseSchedule;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * What the forgetting loss L_f regresses the model onto for the data to forget.
 *
 * <ul>
 *   <li>{@link Uniform}: noise ε̂ ~ U[0, 1) per pixel, drawn fresh every batch, used both to build
 *       x_t = √ᾱ_t·x_0 + √(1−ᾱ_t)·ε̂ and as the target: L_f = ‖ε̂ − ε_θ(x_t, t, c_f)‖² (the paper's
 *       default for DDPM/DDIM);</li>
 *   <li>{@link ShiftedGaussian}: the same with ε̂ ~ N(μ, I) (an appendix ablation);</li>
 *   <li>{@link PseudoLabel}: x_t built from ordinary Gaussian noise, target = the current model's
 *       own prediction under another label, detached: L_f = ‖ε_θ(x_t, t, c_f) −
 *       sg[ε_θ(x_t, t, c_m)]‖² (conditional models only).</li>
 *   <li>{@link RemainPosterior}: x_t built from ordinary Gaussian noise, target = the noise that
 *       the remain data's own denoiser would predict at x_t (this project's target, for
 *       unconditional models above all; not in the paper), or with {@code sameClass} that of the
 *       remaining images of the forget image's own class (a request naming single images of a
 *       conditional model).</li>
 * </ul>
 * The first two are {@link NoiseTarget}s and draw their noise here; for pseudo-labels this class
 * draws the labels c_m and the caller runs the model. Immutable values.
 *
 * <p>JSON form: {@code {"type": "UNIFORM"}}, {@code {"type": "SHIFTED_GAUSSIAN", "mean": 0.5}},
 * {@code {"type": "PSEUDO_LABEL", "mode": "FIXED_CLASS", "label": 3}}, {@code {"type":
 * "PSEUDO_LABEL", "mode": "RANDOM_OTHER_CLASS"}}, {@code {"type": "PSEUDO_LABEL", "mode":
 * "ANCHOR_LABEL", "label": -1}}, {@code {"type": "REMAIN_POSTERIOR", "minTimestep": 100}},
 * {@code {"type": "REMAIN_POSTERIOR", "minTimestep": 250, "pool": 32, "sameClass": true}}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ForgetTarget.Uniform.class, name = "UNIFORM"),
        @JsonSubTypes.Type(value = ForgetTarget.ShiftedGaussian.class, name = "SHIFTED_GAUSSIAN"),
        @JsonSubTypes.Type(value = ForgetTarget.PseudoLabel.class, name = "PSEUDO_LABEL"),
        @JsonSubTypes.Type(value = ForgetTarget.RemainPosterior.class, name = "REMAIN_POSTERIOR")
})
public sealed interface ForgetTarget permits ForgetTarget.NoiseTarget, ForgetTarget.PseudoLabel,
        ForgetTarget.RemainPosterior {

    /**
     * Whether the target needs a class-conditional model (only pseudo-labels do).
     *
     * @return {@code true} if the model must take labels
     */
    boolean requiresConditionalModel();

    /** The paper's default: uniform target noise. */
    static Uniform uniform() {
        return new Uniform();
    }

    /**
     * Gaussian target noise with the given mean and unit variance.
     *
     * @param mean μ, finite
     * @return the target
     */
    static ShiftedGaussian shiftedGaussian(double mean) {
        return new ShiftedGaussian(mean);
    }

    /**
     * Pseudo-label target with one fixed other class c_m.
     *
     * @param classIndex c_m, a class of the model, {@code >= 0}
     * @return the target
     */
    static PseudoLabel fixedClass(int classIndex) {
        return new PseudoLabel(PseudoLabelMode.FIXED_CLASS, classIndex);
    }

    /** Pseudo-label target with one uniformly random other class per batch (the authors' choice). */
    static PseudoLabel randomOtherClass() {
        return new PseudoLabel(PseudoLabelMode.RANDOM_OTHER_CLASS, null);
    }

    /** Pseudo-label target with a uniformly random other class for each sample. */
    static PseudoLabel randomOtherClassPerSample() {
        return new PseudoLabel(PseudoLabelMode.RANDOM_OTHER_CLASS_PER_SAMPLE, null);
    }

    /**
     * Pseudo-label target with a user-chosen anchor label.
     *
     * @param label the anchor, a label of the model or {@link NoisePredictor#NULL_LABEL}
     *              (the unconditional prediction)
     * @return the target
     */
    static PseudoLabel anchorLabel(int label) {
        return new PseudoLabel(PseudoLabelMode.ANCHOR_LABEL, label);
    }

    /**
     * The remain data's own denoiser as the target, from timestep {@code minTimestep} on.
     *
     * @param minTimestep the smallest timestep the forget rows are trained at, {@code >= 0} and below T
     * @return the target
     */
    static RemainPosterior remainPosterior(int minTimestep) {
        return new RemainPosterior(minTimestep, 0, null, false);
    }

    /**
     * The remain data's own denoiser over a pool of {@code pool} remain images drawn afresh every
     * step, from timestep {@code minTimestep} on.
     *
     * @param minTimestep the smallest timestep the forget rows are trained at, {@code >= 0} and below T
     * @param pool        remain images the posterior is taken over ({@code 0}: the step's remain batch)
     * @return the target
     */
    static RemainPosterior remainPosterior(int minTimestep, int pool) {
        return new RemainPosterior(minTimestep, pool, null, false);
    }

    /**
     * The remain images' posterior at a temperature: its log-weights divided by
     * {@code temperature}, so that values above 1 spread the weight over more remain images.
     *
     * @param minTimestep the smallest timestep the forget rows are trained at, {@code >= 0} and below T
     * @param pool        remain images the posterior is taken over ({@code 0}: the step's remain batch)
     * @param temperature the divisor of the log-weights, finite and {@code > 0} (1: the exact posterior)
     * @return the target
     */
    static RemainPosterior remainPosterior(int minTimestep, int pool, double temperature) {
        return new RemainPosterior(minTimestep, pool, temperature, false);
    }

    /**
     * The remain images' posterior restricted to each forget image's own class: the forget rows of
     * label c are sent toward the remaining images of class c only, over a pool of
     * {@code poolPerClass} of them drawn afresh every step (conditional models: the request names
     * single images whose class stays).
     *
     * @param minTimestep  the smallest timestep the forget rows are trained at, {@code >= 0} and below T
     * @param poolPerClass remaining images of each forgotten image's class in the pool, {@code >= 1}
     * @return the target
     */
    static RemainPosterior remainPosteriorSameClass(int minTimestep, int poolPerClass) {
        return new RemainPosterior(minTimestep, poolPerClass, null, true);
    }

    /**
     * A target made of random noise that both builds x_t and is regressed onto.
     */
    sealed interface NoiseTarget extends ForgetTarget permits Uniform, ShiftedGaussian {

        /**
         * Fills an array with target noise, in place.
         *
         * @param out the array to fill, FLOAT or DOUBLE, any shape, contiguous (a view is fine if
         *            its elements are adjacent, e.g. a range of rows); overwritten
         * @param rng the ND4J generator to draw from (its state advances)
         * @return {@code out}
         * @throws IllegalArgumentException if {@code out} is not FLOAT or DOUBLE or is a strided view
         */
        INDArray fillTargetNoise(INDArray out, Random rng);

        /**
         * Draws target noise into a new array. Allocates: inside a training loop prefer
         * {@link #fillTargetNoise(INDArray, Random)} on a reused buffer.
         *
         * @param dataType FLOAT or DOUBLE
         * @param shape    the shape, e.g. {@code [B, C, H, W]}
         * @param rng      the ND4J generator to draw from (its state advances)
         * @return a new array owned by the caller
         */
        default INDArray drawTargetNoise(DataType dataType, long[] shape, Random rng) {
            return fillTargetNoise(Nd4j.createUninitialized(dataType, shape), rng);
        }

        @Override
        default boolean requiresConditionalModel() {
            return false;
        }
    }

    /** Uniform target noise ε̂ ~ U[0, 1), independently per element. */
    record Uniform() implements NoiseTarget {

        /**
         * {@inheritDoc}
         *
         * <p>Values lie in [0, 1): ND4J's native generator is clamped below 1 so that a float
         * rounding to 1.0 cannot occur.
         */
        @Override
        public INDArray fillTargetNoise(INDArray out, Random rng) {
            double belowOne = requireFillable(out) == DataType.FLOAT
                    ? Math.nextDown(1.0f) : Math.nextDown(1.0);
            Nd4j.getExecutioner().exec(new UniformDistribution(out, 0.0, 1.0), rng);
            Transforms.min(out, belowOne, false);
            return out;
        }
    }

    /**
     * Gaussian target noise ε̂ ~ N(μ, I).
     *
     * @param mean μ, finite
     */
    record ShiftedGaussian(double mean) implements NoiseTarget {

        /**
         * Validates the mean.
         *
         * @throws IllegalArgumentException if the mean is not finite
         */
        public ShiftedGaussian {
            if (!Double.isFinite(mean)) {
                throw new IllegalArgumentException("mean must be finite, was " + mean);
            }
        }

        @Override
        public INDArray fillTargetNoise(INDArray out, Random rng) {
            requireFillable(out);
            Nd4j.getExecutioner().exec(new GaussianDistribution(out, mean, 1.0), rng);
            return out;
        }
    }

    /** How a {@link PseudoLabel} target chooses the label c_m. */
    enum PseudoLabelMode {
        /** One fixed class c_m (a class of the model, not being forgotten). */
        FIXED_CLASS,
        /**
         * One uniformly random class per batch, never one of the labels being forgotten (the
         * authors' DDPM code draws one class per batch).
         */
        RANDOM_OTHER_CLASS,
        /** A uniformly random class for each sample, never one of the labels being forgotten. */
        RANDOM_OTHER_CLASS_PER_SAMPLE,
        /**
         * A user-chosen anchor label (e.g. a neutral concept), which may also be
         * {@link NoisePredictor#NULL_LABEL} for the unconditional prediction.
         */
        ANCHOR_LABEL
    }

    /**
     * Target = the current model's detached prediction under the label c_m.
     *
     * @param mode  how c_m is chosen
     * @param label c_m for FIXED_CLASS ({@code >= 0}) and ANCHOR_LABEL ({@code >= NULL_LABEL});
     *              {@code null} for the random modes
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PseudoLabel(PseudoLabelMode mode, Integer label) implements ForgetTarget {

        /**
         * Validates mode and label.
         *
         * @throws IllegalArgumentException naming the field and its allowed values
         */
        public PseudoLabel {
            if (mode == null) {
                throw new IllegalArgumentException(
                        "mode must be one of FIXED_CLASS, RANDOM_OTHER_CLASS, RANDOM_OTHER_CLASS_PER_SAMPLE, ANCHOR_LABEL, was null");
            }
            switch (mode) {
                case FIXED_CLASS -> {
                    if (label == null || label < 0) {
                        throw new IllegalArgumentException("label must be a class index >= 0 for FIXED_CLASS, was "
                                + label);
                    }
                }
                case ANCHOR_LABEL -> {
                    if (label == null || label < NoisePredictor.NULL_LABEL) {
                        throw new IllegalArgumentException("label must be >= " + NoisePredictor.NULL_LABEL
                                + " (NULL_LABEL) for ANCHOR_LABEL, was " + label);
                    }
                }
                case RANDOM_OTHER_CLASS, RANDOM_OTHER_CLASS_PER_SAMPLE -> {
                    if (label != null) {
                        throw new IllegalArgumentException("label must be absent for " + mode + ", was "
                                + label);
                    }
                }
            }
        }

        @Override
        public boolean requiresConditionalModel() {
            return true;
        }

        /**
         * Checks, before any work, that this target can serve a forget set whose images carry
         * the labels {@code forgotten}: a fixed or anchor label must be a label of the model and
         * must not be forgotten itself; a random other class needs at least one class that is not
         * forgotten.
         *
         * @param forgotten  the labels occurring in the whole forget set
         * @param numClasses the number of classes of the model, {@code >= 2}
         * @throws IllegalArgumentException naming the label and the problem
         */
        public void checkAgainst(boolean[] forgotten, int numClasses) {
            if (numClasses < 2) {
                throw new IllegalArgumentException("numClasses must be >= 2 for pseudo-labels, was " + numClasses);
            }
            if (forgotten.length != numClasses) {
                throw new IllegalArgumentException("forgotten must have one entry per class (" + numClasses
                        + "), had " + forgotten.length);
            }
            if (label == null) {
                for (boolean f : forgotten) {
                    if (!f) {
                        return;
                    }
                }
                throw new IllegalArgumentException(mode + " needs a class that is not being forgotten, but the "
                        + "forget set covers all " + numClasses + " classes");
            }
            int lowest = mode == PseudoLabelMode.FIXED_CLASS ? 0 : NoisePredictor.NULL_LABEL;
            if (label < lowest || label >= numClasses) {
                throw new IllegalArgumentException("label must be in [" + lowest + ", " + numClasses + ") for "
                        + mode + ", was " + label);
            }
            if (label >= 0 && forgotten[label]) {
                throw new IllegalArgumentException("the " + mode + " label " + label
                        + " is itself being forgotten: choose a class outside the forget set");
            }
        }

        /**
         * Draws the pseudo-labels c_m of one forget batch into {@code out}.
         *
         * <p>FIXED_CLASS and ANCHOR_LABEL fill the configured label; RANDOM_OTHER_CLASS draws one
         * class for the whole batch (as the authors' code does) and RANDOM_OTHER_CLASS_PER_SAMPLE
         * one per sample, uniformly among the classes that are not forgotten, so a forgotten
         * label is never returned. {@code rng} is used only by the random modes (one
         * {@code nextInt} per batch or per sample).
         *
         * @param forgotten  the labels occurring in the whole forget set (see
         *                   {@link #checkAgainst(boolean[], int)}, which this method applies)
         * @param numClasses the number of classes of the model, {@code >= 2}
         * @param rng        the generator to draw from
         * @param out        one entry per sample of the batch; overwritten
         * @throws IllegalArgumentException if the target cannot serve this forget set
         */
        public void pseudoLabels(boolean[] forgotten, int numClasses, RandomGenerator rng, int[] out) {
            checkAgainst(forgotten, numClasses);
            if (label != null) {
                Arrays.fill(out, label);
                return;
            }
            int[] allowed = new int[numClasses];
            int count = 0;
            for (int c = 0; c < numClasses; c++) {
                if (!forgotten[c]) {
                    allowed[count++] = c;
                }
            }
            if (mode == PseudoLabelMode.RANDOM_OTHER_CLASS) {
                Arrays.fill(out, allowed[rng.nextInt(count)]);
            } else {
                for (int i = 0; i < out.length; i++) {
                    out[i] = allowed[rng.nextInt(count)];
                }
            }
        }
    }

    private static DataType requireFillable(INDArray out) {
        DataType type = out.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("out must be FLOAT or DOUBLE, was " + type);
        }
        if (out.length() > 1 && out.elementWiseStride() != 1) {
            // ND4J 1.0.0-M2.1's Gaussian generator fills only the first element of a strided view
            throw new IllegalArgumentException("out must be contiguous (element-wise stride 1), was a strided view "
                    + "with element-wise stride " + out.elementWiseStride() + ": fill a contiguous buffer instead");
        }
        return type;
    }

    /**
     * The remain data's own denoiser: x_t = √ᾱ_t·x_f + √(1−ᾱ_t)·ε is built from a forget image
     * x_f with ordinary Gaussian noise (the inputs sampling visits, unlike the uniform target's
     * shifted ones), and the target is the noise that makes the model's estimate of x_0 the
     * posterior mean of remain images x_1..x_B given x_t — the step's remain batch, or with
     * {@code pool > 0} that many remain images drawn afresh every step (without replacement, from
     * the run's seed, so a resumed run draws the same):
     * <pre>
     *   w_r = softmax_r(−‖x_t − √ᾱ_t·x_r‖² / (2(1−ᾱ_t))),   x̂_0 = Σ_r w_r·x_r,
     *   target = (x_t − √ᾱ_t·x̂_0) / √(1−ᾱ_t),
     * </pre>
     * the exact optimal denoiser of those images: what a model trained on the remaining images
     * alone predicts at x_t, up to their number. Where a trajectory heads for a
     * forgotten image, the model learns to turn it toward the remaining images instead. Needs the
     * step's remain batch (every EraseDiff mode draws one), works with unconditional models, and
     * trains the forget rows at timesteps in [{@code minTimestep}, T) only (drawn as usual, then
     * mapped linearly onto that range): below it the target's scale √(ᾱ_t/(1−ᾱ_t))·‖x_f − x̂_0‖
     * grows without bound (about 3 per unit of pixel difference at t = 100 of the linear
     * 1,000-step schedule). This project's own target, not one of the paper's.
     *
     * <p>A larger pool brings the target closer to the denoiser of the whole remain set, which the
     * step's 64 images approximate coarsely: at t ≥ 300 the posterior puts nearly all its weight on
     * the single nearest image, so with 64 candidates a noised forget image is sent to the nearest of
     * about six images per class. The pool costs two matrix products of B_f·pool·pixels
     * multiply-adds per step (in double).
     *
     * <p>A {@code temperature} τ above 1 divides the log-weights by τ (the softmax above of
     * {@code −‖x_t − √ᾱ_t·x_r‖² / (2τ(1−ᾱ_t))}): the weight spreads from the nearest remain images to
     * more of them, toward their plain mean as τ grows, so that a forget trajectory is sent toward
     * the remaining classes more evenly than the nearest neighbours decide. τ = 1 is the exact
     * posterior.
     *
     * <p>With {@code sameClass} (conditional models) the posterior of a forget row of label c is taken
     * over the remaining images of class c alone, {@code pool} of them per forgotten class drawn
     * afresh every step: a request that names single images removes those images but not their
     * class, so the label keeps generating its class instead of learning to draw other digits. Every
     * forgotten class must keep at least one image in the remain set (checked when a run starts).
     *
     * @param minTimestep the smallest timestep of the forget rows, {@code >= 0} (and below T, checked
     *                    against the schedule when a run starts)
     * @param pool        remain images the posterior is taken over, {@code >= 0}; {@code 0} (the
     *                    default, left out of the JSON) takes the step's remain batch; a pool as large
     *                    as the remain set takes all of it
     * @param temperature the divisor of the log-weights, finite and {@code > 0}; {@code null} or 1 (the
     *                    default, left out of the JSON) is the exact posterior
     * @param sameClass   whether each forget row's posterior is over its own class's remaining images
     *                    ({@code pool} per class, {@code >= 1}; conditional models); {@code false} (the
     *                    default, left out of the JSON) takes every class
     */
    record RemainPosterior(int minTimestep,
                           @JsonInclude(JsonInclude.Include.NON_DEFAULT) int pool,
                           @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = UnitValue.class)
                           Double temperature,
                           @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean sameClass)
            implements ForgetTarget {

        /** The default smallest timestep: 100, where the target's scale is about 3 on the linear schedule. */
        public static final int DEFAULT_MIN_TIMESTEP = 100;

        /**
         * Validates the settings; a {@code null} temperature is 1.
         *
         * @throws IllegalArgumentException if it is negative
         */
        public RemainPosterior {
            if (minTimestep < 0) {
                throw new IllegalArgumentException("minTimestep must be >= 0, was " + minTimestep);
            }
            if (pool < 0) {
                throw new IllegalArgumentException("pool must be >= 0 (0: the step's remain batch), was " + pool);
            }
            if (sameClass && pool < 1) {
                throw new IllegalArgumentException("pool must be >= 1 (remaining images per class) with sameClass, was "
                        + pool);
            }
            if (temperature == null) {
                temperature = 1.0;
            }
            if (!(temperature > 0) || Double.isInfinite(temperature)) {
                throw new IllegalArgumentException("temperature must be finite and > 0 (1: the exact posterior), was "
                        + temperature);
            }
        }

        @Override
        public boolean requiresConditionalModel() {
            return sameClass;
        }

        /**
         * Maps a timestep drawn uniformly from [0, T) onto [minTimestep, T).
         *
         * @param t a timestep in [0, T)
         * @param numTimesteps T, {@code > minTimestep}
         * @return the timestep the forget row is trained at
         */
        public int timestep(int t, int numTimesteps) {
            if (numTimesteps <= minTimestep) {
                throw new IllegalArgumentException("minTimestep " + minTimestep + " must be below T = " + numTimesteps);
            }
            return minTimestep + (int) ((long) t * (numTimesteps - minTimestep) / numTimesteps);
        }

        /**
         * Writes the target for each forget row: the noise that makes the estimate of x_0 the
         * posterior mean of the remain images given the row's x_t (computed in double).
         *
         * @param xt           the forget rows' noisy images {@code [B_f, C, H, W]}
         * @param timesteps    their timesteps
         * @param remainImages the remain images the posterior is over (the batch or the pool), clean,
         *                     {@code [B_r, C, H, W]} in [−1, 1]
         * @param schedule     the noise schedule
         * @param out          written with the targets, shaped like {@code xt}
         * @return {@code out}
         */
        public INDArray fillTarget(INDArray xt, int[] timesteps, INDArray remainImages, NoiseSchedule schedule,
                                   INDArray out) {
            return fillTarget(xt, timesteps, null, remainImages, null, schedule, out);
        }

        /**
         * The same with labels: a row's posterior is over the remain images carrying its own label
         * (what {@code sameClass} asks for; without labels, over all of them).
         *
         * @param xt           the forget rows' noisy images {@code [B_f, C, H, W]}
         * @param timesteps    their timesteps
         * @param rowLabels    their labels, or {@code null} for the posterior over every remain image
         * @param remainImages the remain images, clean, {@code [B_r, C, H, W]} in [−1, 1]
         * @param remainLabels their labels ({@code null} with {@code rowLabels})
         * @param schedule     the noise schedule
         * @param out          written with the targets, shaped like {@code xt}
         * @return {@code out}
         * @throws IllegalArgumentException if a row's label has no remain image, or the labels do not
         *                                  match the rows
         */
        public INDArray fillTarget(INDArray xt, int[] timesteps, int[] rowLabels, INDArray remainImages,
                                   int[] remainLabels, NoiseSchedule schedule, INDArray out) {
            if ((rowLabels == null) != (remainLabels == null)
                    || rowLabels != null && (rowLabels.length != xt.size(0) || remainLabels.length != remainImages.size(0))) {
                throw new IllegalArgumentException("need one label per forget row and per remain image, or none");
            }
            int bf = (int) xt.size(0);
            int br = (int) remainImages.size(0);
            if (br < 1 || timesteps.length != bf || remainImages.length() / br != xt.length() / Math.max(bf, 1)) {
                throw new IllegalArgumentException("need >= 1 remain image of the forget rows' shape and one timestep"
                        + " per row: " + Arrays.toString(xt.shape()) + ", " + Arrays.toString(remainImages.shape())
                        + ", " + timesteps.length + " timesteps");
            }
            // in double: the dot products x_t·x_r and the posterior mean as two matrix products
            GaussianPosterior posterior = new GaussianPosterior(xt, timesteps, schedule);
            INDArray r = GaussianPosterior.flat(remainImages);
            double[][] w = new double[bf][br];
            posterior.weights(r, temperature, rowLabels, remainLabels, w);
            INDArray target = posterior.noise(w, r);
            out.assign(target.castTo(out.dataType()).reshape(out.shape()));
            return out;
        }
    }
}
