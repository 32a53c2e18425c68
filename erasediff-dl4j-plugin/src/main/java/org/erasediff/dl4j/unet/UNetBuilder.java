package org.erasediff.dl4j.unet;

import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.graph.DiffusionGraphSpec;
import org.erasediff.dl4j.graph.LabelEncoding;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the reference noise-prediction UNet described by a {@link UNetConfig} as a SameDiff
 * graph.
 *
 * <h2>Interface</h2>
 * <ul>
 *   <li>placeholder {@value #INPUT_X}: the noisy image, float {@code [-1, C, H, W]};</li>
 *   <li>placeholder {@value #INPUT_T}: the integer timestep index as a float, {@code [-1]}; its
 *       sinusoidal encoding of width {@code timeEmbeddingBase} is computed inside the graph:
 *       {@code [sin(t·f_k), cos(t·f_k)]}, {@code f_k = 10000^(−k/(half−1))}, {@code k < half =
 *       timeEmbeddingBase/2};</li>
 *   <li>placeholder {@value #INPUT_LABEL} (conditional configs only): INT32 {@code [-1]} class
 *       indices {@code 0..numClasses−1}, or {@code numClasses} for the learned null class;</li>
 *   <li>output {@value #OUTPUT_EPS}: the predicted noise {@code [-1, C, H, W]}.</li>
 * </ul>
 * The batch size may be anything &ge; 1, for gradients too (PLATFORM.md saw
 * {@code calculateGradients} fail at batch 1 on another graph; this one is tested at batch 1).
 *
 * <h2>Architecture</h2>
 * {@code emb = SiLU(time_mlp(sinusoid(t)) + one_hot(label)·class_emb_W)} (without the class term
 * when unconditional), where {@code time_mlp} = Linear(base, E) → SiLU → Linear(E, E). The class
 * embedding is a one-hot matrix product rather than a {@code gather}: in our check on M2.1 the
 * gather's backward returned a wrong gradient for the table and was ~50× slower. Then
 * {@code conv_in} (3×3) → for each level {@code l}: {@code resBlocksPerLevel} residual blocks (the
 * first changes the width to {@code widths[l]}); the last block's output is the level's skip;
 * all but the lowest level end with a stride-2 3×3 convolution. At the lowest level follow the
 * optional attention block and one more residual block ({@code mid_res0}). Then for each level
 * from the second lowest up: nearest ×2 upsampling, concatenation with the level's skip, and
 * {@code resBlocksPerLevel} residual blocks (the first maps {@code widths[l+1] + widths[l]} to
 * {@code widths[l]}). Finally GroupNorm → SiLU → {@code conv_out} (3×3) = {@value #OUTPUT_EPS}.
 * A residual block is GN → SiLU → conv3×3 → + Linear(emb) (per channel) → GN → SiLU → conv3×3,
 * plus the input (through a 1×1 convolution when the widths differ). The attention block is
 * {@code x + Wo·MHA(GN(x))} over the {@code H·W} positions with projections {@code Wq, Wk, Wv}
 * and output projection {@code Wo}, no biases, scores scaled by 1/√(width/heads), composed from
 * 1×1 convolutions and batched matrix products (much faster in M2.1 than ND4J's fused attention
 * op). GroupNorm is {@link GroupNorm}. With the default config this mirrors the
 * libtorch reference network (shared/bench/peer-libtorch) except that the class embedding has a
 * row for the null class.
 *
 * <h2>Parameter names</h2>
 * Suffixes: {@code _W} weight, {@code _b} bias, {@code _gamma}/{@code _beta} GroupNorm scale and
 * shift. Convolution weights are {@code [kH, kW, inC, outC]}, linear weights {@code [in, out]},
 * norm parameters {@code [C]}.
 * <ul>
 *   <li>{@code time_mlp_1_W, time_mlp_1_b, time_mlp_2_W, time_mlp_2_b};</li>
 *   <li>{@code class_emb_W} {@code [numClasses+1, E]} (conditional only; row {@code numClasses}
 *       is the null class);</li>
 *   <li>{@code conv_in_W, conv_in_b};</li>
 *   <li>residual blocks {@code down{l}_res{i}_*}, {@code mid_res0_*}, {@code up{l}_res{i}_*}
 *       with members {@code norm1_gamma, norm1_beta, conv1_W, conv1_b, emb_W, emb_b, norm2_gamma,
 *       norm2_beta, conv2_W, conv2_b} and, when the widths differ, {@code skip_W, skip_b};</li>
 *   <li>downsampling {@code down{l}_downsample_W, down{l}_downsample_b};</li>
 *   <li>attention {@code mid_attn_norm_gamma, mid_attn_norm_beta} and {@code mid_attn_Wq,
 *       mid_attn_Wk, mid_attn_Wv, mid_attn_Wo}, each a 1×1 convolution weight
 *       {@code [1, 1, width, width]} (output channel {@code h·(width/heads) + j} of Q/K/V is
 *       component {@code j} of head {@code h});</li>
 *   <li>{@code out_norm_gamma, out_norm_beta, conv_out_W, conv_out_b}.</li>
 * </ul>
 * So e.g. the regular expression {@code mid_attn_.*} selects the attention block,
 * {@code up\d+_res\d+_.*} the decoder's residual blocks and {@code .*_emb_.*|time_mlp_.*|class_emb_W}
 * everything that reads the conditioning.
 *
 * <h2>Initialisation</h2>
 * Weights N(0, 1/fan_in) (fan_in = kH·kW·inC for convolutions, the input width for linear maps
 * and projections), biases 0, γ = 1, β = 0; {@code conv_out_W} is scaled by
 * {@link UNetConfig#outputInitScale()}. Values come from {@link UNetConfig#seed()} alone.
 *
 * <p>Parameter count and forward FLOPs: {@link UNetCost#of(UNetConfig, long)}.
 */
public final class UNetBuilder {

    /** Name of the noisy-image placeholder. */
    public static final String INPUT_X = "x";
    /** Name of the timestep placeholder. */
    public static final String INPUT_T = "t";
    /** Name of the class-label placeholder (conditional configs only). */
    public static final String INPUT_LABEL = "label";
    /** Name of the predicted-noise output. */
    public static final String OUTPUT_EPS = "eps";

    /** Adds a normalisation to a graph; the production implementation is {@link GroupNorm#apply}. */
    @FunctionalInterface
    interface Normalization {
        SDVariable apply(SDVariable x, SDVariable gamma, SDVariable beta, int channels, int groups,
                         int height, int width, double epsilon);
    }

    private final UNetConfig config;
    private final DataType dataType;
    private final Normalization normalization;
    private SameDiff sd;
    private ParameterFactory params;
    private SDVariable emb;

    private UNetBuilder(UNetConfig config, DataType dataType, Normalization normalization) {
        this.config = Objects.requireNonNull(config, "config");
        this.dataType = Objects.requireNonNull(dataType, "dataType");
        this.normalization = normalization;
        if (!dataType.isFPType()) {
            throw new IllegalArgumentException("dataType must be a floating-point type, found " + dataType);
        }
    }

    /**
     * Builds a new float32 graph for {@code config}.
     *
     * @return a new SameDiff instance owned by the caller
     */
    public static SameDiff build(UNetConfig config) {
        return build(config, DataType.FLOAT);
    }

    /**
     * The {@link DiffusionGraphSpec} of the graphs built for {@code config}: its placeholder and
     * output names, the timestep as an index, and for a conditional UNet the label input with its
     * number of classes. Use it to wrap a built or reloaded graph without copying names.
     *
     * @param config the UNet settings
     * @return the spec
     */
    public static DiffusionGraphSpec spec(UNetConfig config) {
        DiffusionGraphSpec.Builder b = DiffusionGraphSpec.builder(INPUT_X, INPUT_T, OUTPUT_EPS);
        if (config.isConditional()) {
            b.labels(INPUT_LABEL, LabelEncoding.INDEX, config.numClasses());
        }
        return b.build();
    }

    /**
     * Builds a new float32 graph for {@code config}, wrapped with its {@link #spec(UNetConfig)}.
     *
     * @return a diffusion graph owning a new SameDiff instance
     */
    public static DiffusionGraph buildDiffusionGraph(UNetConfig config) {
        return new DiffusionGraph(build(config), spec(config));
    }

    /**
     * Builds a new graph whose placeholders (except the INT32 label) and parameters have
     * {@code dataType} (DOUBLE is useful for gradient checks).
     *
     * @return a new SameDiff instance owned by the caller
     * @throws IllegalArgumentException if {@code dataType} is not a floating-point type
     */
    public static SameDiff build(UNetConfig config, DataType dataType) {
        return new UNetBuilder(config, dataType, GroupNorm::apply).graph();
    }

    /** Builds with another normalisation (used by the GroupNorm benchmark). */
    static SameDiff build(UNetConfig config, DataType dataType, Normalization normalization) {
        return new UNetBuilder(config, dataType, normalization).graph();
    }

    private SameDiff graph() {
        sd = SameDiff.create();
        params = new ParameterFactory(sd, dataType, config.seed());
        int levels = config.levels();
        SDVariable x = sd.placeHolder(INPUT_X, dataType, -1, config.imageChannels(), config.imageSize(),
                config.imageSize());
        SDVariable t = sd.placeHolder(INPUT_T, dataType, -1);
        SDVariable label = config.isConditional() ? sd.placeHolder(INPUT_LABEL, DataType.INT32, -1) : null;
        emb = conditioning(t, label);

        SDVariable h = conv("conv_in", x, config.imageChannels(), config.width(0), 3, 1, 1.0);
        List<SDVariable> skips = new ArrayList<>();
        int width = config.width(0);
        for (int l = 0; l < levels; l++) {
            int res = config.resolution(l);
            for (int i = 0; i < config.resBlocksPerLevel(); i++) {
                h = resBlock("down" + l + "_res" + i, h, width, config.width(l), res);
                width = config.width(l);
            }
            if (l < levels - 1) {
                skips.add(h);
                h = conv("down" + l + "_downsample", h, width, width, 3, 2, 1.0);
            }
        }
        int lowestRes = config.resolution(levels - 1);
        if (config.attention()) {
            h = attention("mid_attn", h, width, lowestRes);
        }
        h = resBlock("mid_res0", h, width, width, lowestRes);
        for (int l = levels - 2; l >= 0; l--) {
            h = sd.concat(1, sd.cnn().upsampling2d(h, 2, 2, true), skips.get(l));
            width += config.width(l);
            for (int i = 0; i < config.resBlocksPerLevel(); i++) {
                h = resBlock("up" + l + "_res" + i, h, width, config.width(l), config.resolution(l));
                width = config.width(l);
            }
        }
        h = silu(norm("out_norm", h, width, config.imageSize()));
        SDVariable w = params.gaussian("conv_out_W", 9L * width, config.outputInitScale(), 3, 3, width,
                config.imageChannels());
        SDVariable b = params.zeros("conv_out_b", config.imageChannels());
        sd.cnn().conv2d(OUTPUT_EPS, h, w, b, convConfig(3, 1));
        return sd;
    }

    /** SiLU(time_mlp(sinusoid(t)) [+ class embedding]) : [B, E]. */
    private SDVariable conditioning(SDVariable t, SDVariable label) {
        int base = config.timeEmbeddingBase();
        int half = base / 2;
        int e = config.timeEmbeddingWidth();
        double[] freqs = new double[half];
        for (int k = 0; k < half; k++) {
            freqs[k] = Math.exp(-Math.log(10000.0) * k / (half - 1));
        }
        SDVariable freq = sd.constant("time_freqs", Nd4j.create(freqs, new long[] {1, half}, DataType.DOUBLE)
                .castTo(dataType));
        SDVariable angles = t.reshape(-1, 1).mul(freq);
        SDVariable sinusoid = sd.concat(1, sd.math().sin(angles), sd.math().cos(angles));
        SDVariable h = linear("time_mlp_1", sinusoid, base, e);
        h = linear("time_mlp_2", silu(h), e, e);
        if (label != null) {
            int rows = config.numClasses() + 1;
            SDVariable oneHot = sd.oneHot(label, rows, -1, 1.0, 0.0, dataType);
            h = h.add(oneHot.mmul(params.gaussian("class_emb_W", rows, 1.0, rows, e)));
        }
        return silu(h);
    }

    private SDVariable resBlock(String p, SDVariable x, int cin, int cout, int res) {
        SDVariable h = conv(p + "_conv1", silu(norm(p + "_norm1", x, cin, res)), cin, cout, 3, 1, 1.0);
        SDVariable shift = linear(p + "_emb", emb, config.timeEmbeddingWidth(), cout).reshape(-1, cout, 1, 1);
        h = h.add(shift);
        h = conv(p + "_conv2", silu(norm(p + "_norm2", h, cout, res)), cout, cout, 3, 1, 1.0);
        SDVariable skip = cin == cout ? x : conv(p + "_skip", x, cin, cout, 1, 1, 1.0);
        return h.add(skip);
    }

    private SDVariable attention(String p, SDVariable x, int c, int res) {
        SDVariable n = norm(p + "_norm", x, c, res);
        SDVariable wq = params.gaussian(p + "_Wq", c, 1.0, 1, 1, c, c);
        SDVariable wk = params.gaussian(p + "_Wk", c, 1.0, 1, 1, c, c);
        SDVariable wv = params.gaussian(p + "_Wv", c, 1.0, 1, 1, c, c);
        SDVariable wo = params.gaussian(p + "_Wo", c, 1.0, 1, 1, c, c);
        return x.add(SelfAttention.apply(n, wq, wk, wv, wo, c, config.attentionHeads(), res));
    }

    private SDVariable norm(String p, SDVariable x, int c, int res) {
        SDVariable gamma = params.ones(p + "_gamma", c);
        SDVariable beta = params.zeros(p + "_beta", c);
        return normalization.apply(x, gamma, beta, c, config.groups(), res, res, config.normEpsilon());
    }

    private SDVariable conv(String p, SDVariable x, int cin, int cout, int k, int stride, double scale) {
        SDVariable w = params.gaussian(p + "_W", (long) k * k * cin, scale, k, k, cin, cout);
        SDVariable b = params.zeros(p + "_b", cout);
        return sd.cnn().conv2d(x, w, b, convConfig(k, stride));
    }

    private SDVariable linear(String p, SDVariable x, int in, int out) {
        SDVariable w = params.gaussian(p + "_W", in, 1.0, in, out);
        SDVariable b = params.zeros(p + "_b", out);
        return sd.nn().linear(x, w, b);
    }

    private SDVariable silu(SDVariable x) {
        return sd.nn().swish(x);
    }

    private static Conv2DConfig convConfig(int k, int stride) {
        return Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(k / 2).pW(k / 2)
                .dataFormat(Conv2DConfig.NCHW).build();
    }
}
