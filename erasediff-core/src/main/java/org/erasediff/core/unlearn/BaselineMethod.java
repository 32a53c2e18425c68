package org.erasediff.core.unlearn;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Optional;

/**
 * The unlearning baselines EraseDiff is compared with, each with its own hyper-parameters. Where
 * the literature leaves a choice open, the default is the authors' published one (named on each
 * record). JSON form: {@code {"type": "SALUN", "alpha": 0.001, "sparsity": 0.5}} and so on,
 * every field given.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = BaselineMethod.Finetune.class, name = "FINETUNE"),
        @JsonSubTypes.Type(value = BaselineMethod.NegGrad.class, name = "NEGGRAD"),
        @JsonSubTypes.Type(value = BaselineMethod.BlindSpot.class, name = "BLINDSPOT"),
        @JsonSubTypes.Type(value = BaselineMethod.SelectiveAmnesia.class, name = "SA"),
        @JsonSubTypes.Type(value = BaselineMethod.SalUn.class, name = "SALUN"),
        @JsonSubTypes.Type(value = BaselineMethod.Esd.class, name = "ESD")
})
public sealed interface BaselineMethod {

    /** The method's short name, e.g. {@code "neggrad"}. */
    String name();

    /**
     * The name of the method's own weight, the one hyper-parameter that sets how hard it forgets
     * against how much it keeps ({@code "lambda"} for Selective Amnesia's Fisher penalty,
     * {@code "alpha"} for SalUn's remaining loss, {@code "eta"} for ESD's negative guidance), or
     * empty when the method has none (Finetune, NegGrad, BlindSpot).
     */
    default Optional<String> weightName() {
        return Optional.empty();
    }

    /**
     * This method with its own weight (see {@link #weightName()}) set to {@code value} and every
     * other hyper-parameter kept.
     *
     * @throws IllegalArgumentException if the method has no weight or the value is out of its range
     */
    default BaselineMethod withWeight(double value) {
        throw new IllegalArgumentException("method " + name() + " has no weight to set");
    }

    /** Keep training on the remaining data only: the denoising loss L_r on D_r. */
    record Finetune() implements BaselineMethod {
        @Override
        public String name() {
            return "finetune";
        }
    }

    /**
     * Gradient ascent on the denoising loss over the forget set D_f (the EraseDiff authors' code
     * ascends on D_r by mistake; this is the method as published).
     */
    record NegGrad() implements BaselineMethod {
        @Override
        public String name() {
            return "neggrad";
        }
    }

    /**
     * BlindSpot: a proxy model, the original finetuned on D_r for {@code proxySteps} steps (as the
     * EraseDiff authors' code builds it), is regressed onto on D_f, the true noise on D_r; the two
     * losses are weighted by the sizes of the sets. The authors' attention-transfer term on
     * intermediate activations is not implemented (it needs the graph's activations by name).
     *
     * @param proxySteps finetuning steps of the proxy, {@code >= 1} (default 100)
     */
    record BlindSpot(int proxySteps) implements BaselineMethod {
        /** Default proxy finetuning steps. */
        public static final int DEFAULT_PROXY_STEPS = 100;

        /** Validates. */
        public BlindSpot {
            if (proxySteps < 1) {
                throw new IllegalArgumentException("proxySteps must be >= 1, was " + proxySteps);
            }
        }

        /** With the default proxy steps. */
        public BlindSpot() {
            this(DEFAULT_PROXY_STEPS);
        }

        @Override
        public String name() {
            return "blindspot";
        }
    }

    /**
     * Selective Amnesia (Heng and Soh, 2023), its DDPM recipe: L = ℓ(surrogate) + γ·ℓ(replay) +
     * λ·Σ_i F_i(θ_i − θ*_i)². The surrogate is uniform-noise images in [−1, 1] labelled with a
     * forgotten class; the replay batch comes from images the original model generated for the
     * remaining classes; F is the diagonal Fisher information of the original model θ*, from
     * per-sample gradients of the denoising loss summed over timesteps on replayed images of every
     * class (by default over all T = 1,000 timesteps, as the authors' code; fewer are a stratified
     * estimate scaled by T/{@code fisherTimesteps}, whose square is biased upwards). Authors'
     * defaults: γ = 1, λ = 10 (CIFAR-10). The authors' losses, their Fisher's included, are sums
     * over pixels and this project's are means, so the step divides the authors' whole objective by
     * the pixels per image P: the penalty enters as (λ/P)·Σ_i F_i(θ_i − θ*_i)² with the authors' F,
     * which keeps λ on the authors' scale.
     *
     * @param gamma           weight of the replay loss, {@code >= 0} (default 1)
     * @param lambda          weight of the Fisher penalty, {@code >= 0} (default 10)
     * @param replayPerClass  images generated per remaining class for replay, {@code >= 1} (default 50)
     * @param fisherSamples   replayed images (all classes) the Fisher is averaged over, {@code >= 1} (default 20)
     * @param fisherTimesteps timesteps per image for the Fisher, a multiple of 8 (default 1000: all of them)
     * @param sampleSteps     DDIM steps of the replay generation, {@code >= 1} (default 50)
     */
    record SelectiveAmnesia(double gamma, double lambda, int replayPerClass, int fisherSamples, int fisherTimesteps,
                            int sampleSteps) implements BaselineMethod {
        /** Validates. */
        public SelectiveAmnesia {
            if (!(gamma >= 0) || !(lambda >= 0) || Double.isInfinite(gamma) || Double.isInfinite(lambda)) {
                throw new IllegalArgumentException("gamma and lambda must be >= 0 and finite, were " + gamma + ", "
                        + lambda);
            }
            if (replayPerClass < 1 || fisherSamples < 1 || sampleSteps < 1) {
                throw new IllegalArgumentException("replayPerClass, fisherSamples and sampleSteps must be >= 1, were "
                        + replayPerClass + ", " + fisherSamples + ", " + sampleSteps);
            }
            if (fisherTimesteps < 8 || fisherTimesteps % 8 != 0) {
                throw new IllegalArgumentException("fisherTimesteps must be a positive multiple of 8 (gradient passes "
                        + "of at least 8 rows), was " + fisherTimesteps);
            }
        }

        /** The authors' γ and λ with this project's replay sizes. */
        public SelectiveAmnesia() {
            this(1.0, 10.0, 50, 20, 1000, 50);
        }

        @Override
        public String name() {
            return "sa";
        }

        /** λ, the weight of the Fisher penalty. */
        @Override
        public Optional<String> weightName() {
            return Optional.of("lambda");
        }

        /** This method with λ = {@code value}. */
        @Override
        public SelectiveAmnesia withWeight(double value) {
            return new SelectiveAmnesia(gamma, value, replayPerClass, fisherSamples, fisherTimesteps, sampleSteps);
        }
    }

    /**
     * SalUn (Fan et al., 2024): a saliency mask keeps the {@code sparsity} share of weights with the
     * largest |∇L_f| accumulated over one pass of D_f (each batch's gradient clipped to norm 1, as
     * the authors' code); the loss is ‖ε_θ(x_t, c_f) − sg[ε_θ(x_t, c')]‖² + α·L_r with c' the next
     * class after the forgotten one that is not itself forgotten (the authors use (c_f + 1) mod
     * 10); gradients are masked before each step. Defaults: α = 1e-3, sparsity 0.5.
     *
     * @param alpha    weight of the remaining loss, {@code >= 0}
     * @param sparsity share of weights that may change, in (0, 1]
     */
    record SalUn(double alpha, double sparsity) implements BaselineMethod {
        /** Validates. */
        public SalUn {
            if (!(alpha >= 0) || Double.isInfinite(alpha)) {
                throw new IllegalArgumentException("alpha must be >= 0 and finite, was " + alpha);
            }
            if (!(sparsity > 0 && sparsity <= 1)) {
                throw new IllegalArgumentException("sparsity must be in (0, 1], was " + sparsity);
            }
        }

        /** The defaults. */
        public SalUn() {
            this(1e-3, 0.5);
        }

        @Override
        public String name() {
            return "salun";
        }

        /** α, the weight of the remaining loss. */
        @Override
        public Optional<String> weightName() {
            return Optional.of("alpha");
        }

        /** This method with α = {@code value}. */
        @Override
        public SalUn withWeight(double value) {
            return new SalUn(value, sparsity);
        }
    }

    /**
     * ESD (Gandikota et al., 2023) for conditional models: on noised forget images, regress
     * ε_θ(x_t, c) onto the frozen original's ε*(x_t, ∅) − η·(ε*(x_t, c) − ε*(x_t, ∅)).
     *
     * @param eta the negative guidance scale, {@code > 0} (default 1)
     */
    record Esd(double eta) implements BaselineMethod {
        /** Validates. */
        public Esd {
            if (!(eta > 0) || Double.isInfinite(eta)) {
                throw new IllegalArgumentException("eta must be > 0 and finite, was " + eta);
            }
        }

        /** η = 1. */
        public Esd() {
            this(1.0);
        }

        @Override
        public String name() {
            return "esd";
        }

        /** η, the negative guidance scale. */
        @Override
        public Optional<String> weightName() {
            return Optional.of("eta");
        }

        /** This method with η = {@code value}. */
        @Override
        public Esd withWeight(double value) {
            return new Esd(value);
        }
    }
}
