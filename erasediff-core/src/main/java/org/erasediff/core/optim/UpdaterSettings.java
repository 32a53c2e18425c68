package org.erasediff.core.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Which first-order updater turns gradients into parameter updates, and its hyper-parameters.
 * Plain values only: the plugin maps them onto an ND4J {@code IUpdater}.
 *
 * <p>Defaults ({@link #defaults()}): Adam, learning rate {@value #DEFAULT_LEARNING_RATE}, β₁
 * {@value #DEFAULT_BETA1}, β₂ {@value #DEFAULT_BETA2}, ε {@value #DEFAULT_EPSILON} — the settings of
 * the EraseDiff paper and its reference code. For SGD the β and ε values are carried but unused.
 * In JSON, absent fields take these defaults.
 *
 * @param type         the updater
 * @param learningRate step size, {@code > 0} and finite
 * @param beta1        Adam's first-moment decay, in {@code [0, 1)}
 * @param beta2        Adam's second-moment decay, in {@code [0, 1)}
 * @param epsilon      Adam's denominator guard, {@code > 0} and finite
 */
public record UpdaterSettings(Type type, double learningRate, double beta1, double beta2, double epsilon) {

    /** Default learning rate (Adam, as in the paper). */
    public static final double DEFAULT_LEARNING_RATE = 1e-4;
    /** Default Adam β₁. */
    public static final double DEFAULT_BETA1 = 0.9;
    /** Default Adam β₂. */
    public static final double DEFAULT_BETA2 = 0.999;
    /** Default Adam ε. */
    public static final double DEFAULT_EPSILON = 1e-8;

    /** The supported updaters. */
    public enum Type {
        /** Adam (Kingma and Ba), bias-corrected. */
        ADAM,
        /** Plain stochastic gradient descent: {@code θ ← θ − lr·g}. */
        SGD
    }

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException naming the first field outside its allowed range
     */
    public UpdaterSettings {
        if (type == null) {
            throw new IllegalArgumentException("updater type must be one of ADAM, SGD, was null");
        }
        // the updates are computed in 32-bit floats: a larger rate is infinite there (and silently moved nothing)
        if (!(learningRate > 0.0) || learningRate > Float.MAX_VALUE) {
            throw new IllegalArgumentException("learningRate must be > 0 and finite (at most " + Float.MAX_VALUE
                    + ", the float range), was " + learningRate);
        }
        if (!(beta1 >= 0.0 && beta1 < 1.0)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1), was " + beta1);
        }
        if (!(beta2 >= 0.0 && beta2 < 1.0)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), was " + beta2);
        }
        if (!(epsilon > 0.0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be > 0 and finite, was " + epsilon);
        }
    }

    /**
     * JSON factory: absent fields take the documented defaults.
     *
     * @param type         the updater, default ADAM
     * @param learningRate default {@value #DEFAULT_LEARNING_RATE}
     * @param beta1        default {@value #DEFAULT_BETA1}
     * @param beta2        default {@value #DEFAULT_BETA2}
     * @param epsilon      default {@value #DEFAULT_EPSILON}
     * @return the validated settings
     */
    @JsonCreator
    public static UpdaterSettings fromJson(@JsonProperty("type") Type type,
                                           @JsonProperty("learningRate") Double learningRate,
                                           @JsonProperty("beta1") Double beta1,
                                           @JsonProperty("beta2") Double beta2,
                                           @JsonProperty("epsilon") Double epsilon) {
        return new UpdaterSettings(type == null ? Type.ADAM : type,
                learningRate == null ? DEFAULT_LEARNING_RATE : learningRate,
                beta1 == null ? DEFAULT_BETA1 : beta1,
                beta2 == null ? DEFAULT_BETA2 : beta2,
                epsilon == null ? DEFAULT_EPSILON : epsilon);
    }

    /** Adam with all defaults (learning rate {@value #DEFAULT_LEARNING_RATE}). */
    public static UpdaterSettings defaults() {
        return adam(DEFAULT_LEARNING_RATE);
    }

    /**
     * Adam with the given learning rate and default β₁, β₂, ε.
     *
     * @param learningRate step size, {@code > 0}
     * @return the validated settings
     */
    public static UpdaterSettings adam(double learningRate) {
        return new UpdaterSettings(Type.ADAM, learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
    }

    /**
     * Plain SGD with the given learning rate.
     *
     * @param learningRate step size, {@code > 0}
     * @return the validated settings
     */
    public static UpdaterSettings sgd(double learningRate) {
        return new UpdaterSettings(Type.SGD, learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
    }

    /**
     * The same settings with another learning rate (e.g. after a NaN back-off).
     *
     * @param newLearningRate step size, {@code > 0}
     * @return new validated settings
     */
    public UpdaterSettings withLearningRate(double newLearningRate) {
        return new UpdaterSettings(type, newLearningRate, beta1, beta2, epsilon);
    }
}
