package org.erasediff.eval.classifier;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ψ_SA: a replica of the MNIST classifier Selective Amnesia (Heng &amp; Soh, 2023;
 * {@code clear-nus/selective-amnesia}, {@code vae/model.py} class {@code Classifier}) scores its
 * results with, as SameDiff graphs:
 * <pre>
 * x ↦ (x + 1)/2                                   (the project's [−1, 1] images → SA's [0, 1])
 * conv 5×5 1→10 (valid) → BatchNorm2d → max-pool 2 → ReLU              [B, 10, 12, 12]
 * conv 5×5 10→20 (valid) → BatchNorm2d → Dropout2d(0.5) → max-pool 2 → ReLU   [B, 20, 4, 4]
 * flatten 320 → dense 50 → ReLU ({@value #FEATURES}) → dropout 0.5 → dense 10 → softmax
 * </pre>
 * (The PyTorch model outputs log-softmax; the graphs output its exponential, the probabilities,
 * since M2.1's {@code log_softmax} op cannot be copied or saved: its properties fail to deserialise.)
 * Two graphs share the parameter names:
 * <ul>
 *   <li>{@link #buildTraining}: batch statistics (their moments are outputs, see
 *       {@link #MOMENTS}), dropout through mask placeholders {@value #CONV_DROP_MASK}
 *       {@code [B, 20, 1, 1]} and {@value #FC_DROP_MASK} {@code [B, 50]} (entries 0 or 1/(1−p) = 2,
 *       so whole channels drop as in {@code Dropout2d}), the one-hot label {@value #LABEL} and the loss
 *       {@value #LOSS} (mean negative log-likelihood of the log-softmax);</li>
 *   <li>{@link #buildInference}: PyTorch's {@code eval()} mode — running statistics (graph
 *       constants {@code bn1_running_mean} …), no dropout; only the {@value #IMAGE} placeholder.
 *       This is the graph that is saved and used as a judge.</li>
 * </ul>
 * Initialisation is PyTorch's default: weights and biases of convolutions and dense layers
 * uniform in {@code ±1/√fan_in}, γ = 1, β = 0, running mean 0 and variance 1.
 */
public final class SaClassifierNetwork {

    /** Image placeholder ({@code [B, 1, 28, 28]} in [−1, 1]). */
    public static final String IMAGE = "image";
    /** One-hot label placeholder (training graph). */
    public static final String LABEL = "label";
    /** Dropout2d mask placeholder {@code [B, 20, 1, 1]} (training graph). */
    public static final String CONV_DROP_MASK = "conv2_drop_mask";
    /** Dropout mask placeholder {@code [B, 50]} (training graph). */
    public static final String FC_DROP_MASK = "fc1_drop_mask";
    /** Class probabilities. */
    public static final String PROBABILITIES = "probabilities";
    /** Penultimate features: the 50 ReLU outputs of fc1 (before dropout). */
    public static final String FEATURES = "features";
    /** Logits (before softmax). */
    public static final String LOGITS = "fc2";
    /** Training loss. */
    public static final String LOSS = "loss";
    /** Number of feature values. */
    public static final int FEATURE_SIZE = 50;
    /** Dropout probability of both dropout layers (PyTorch's default). */
    public static final double DROPOUT = 0.5;

    /** A batch normalisation layer: its name, channels and the spatial size of its input. */
    public record Norm(String name, int channels, int height, int width) {
        /** Constant holding the running mean in the inference graph. */
        public String runningMean() {
            return name + "_running_mean";
        }

        /** Constant holding the running variance in the inference graph. */
        public String runningVar() {
            return name + "_running_var";
        }

        /** Values per channel for a batch of {@code batch} images. */
        public long count(long batch) {
            return batch * height * width;
        }
    }

    /** The two batch normalisations. */
    public static final List<Norm> MOMENTS = List.of(new Norm("bn1", 10, 24, 24), new Norm("bn2", 20, 8, 8));

    private static final double EPS = ComposedBatchNorm.DEFAULT_EPSILON;

    private SaClassifierNetwork() {
    }

    /** The training graph, freshly initialised from {@code seed}. */
    public static SameDiff buildTraining(long seed) {
        return build(seed, true);
    }

    /** The inference graph, freshly initialised from {@code seed} (running mean 0, variance 1). */
    public static SameDiff buildInference(long seed) {
        return build(seed, false);
    }

    /**
     * The inference graph with the parameters of a training graph and the given running statistics.
     *
     * @param training a graph from {@link #buildTraining} (read, not modified)
     * @param running  running statistics by {@link Norm#runningMean()} / {@link Norm#runningVar()} name
     * @return a new inference graph
     */
    public static SameDiff inferenceFrom(SameDiff training, Map<String, INDArray> running) {
        SameDiff inf = buildInference(0);
        for (SDVariable v : inf.variables()) {
            if (v.isPlaceHolder()) {
                continue;
            }
            String name = v.name();
            if (running.containsKey(name)) {
                v.getArr().assign(running.get(name));
            } else if (v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE) {
                INDArray src = training.getArrForVarName(name);
                if (src == null) {
                    throw new IllegalArgumentException("training graph lacks parameter '" + name + "'");
                }
                v.getArr().assign(src);
            }
        }
        for (Norm n : MOMENTS) {
            if (!running.containsKey(n.runningMean()) || !running.containsKey(n.runningVar())) {
                throw new IllegalArgumentException("running statistics of " + n.name() + " missing");
            }
        }
        return inf;
    }

    /** Wraps an inference graph as an evaluation classifier. */
    public static SameDiffClassifier wrap(SameDiff inference) {
        if (inference.hasVariable(CONV_DROP_MASK)) {
            throw new IllegalArgumentException("this is the training graph (batch statistics, dropout); "
                    + "wrap the inference graph (SaClassifierNetwork.inferenceFrom)");
        }
        return new SameDiffClassifier(inference, IMAGE, PROBABILITIES, FEATURES, 500);
    }

    private static SameDiff build(long seed, boolean training) {
        Random rng = new Random(seed);
        SameDiff sd = SameDiff.create();
        SDVariable image = sd.placeHolder(IMAGE, DataType.FLOAT, -1, 1, 28, 28);
        SDVariable x = image.mul(0.5).add("input01", 0.5);
        SDVariable h = conv(sd, "conv1", x, 1, 10, rng);
        h = norm(sd, MOMENTS.get(0), h, training);
        h = sd.nn().relu("relu1", pool(sd, "pool1", h), 0.0);
        h = conv(sd, "conv2", h, 10, 20, rng);
        h = norm(sd, MOMENTS.get(1), h, training);
        if (training) {
            h = h.mul("conv2_drop", sd.placeHolder(CONV_DROP_MASK, DataType.FLOAT, -1, 20, 1, 1));
        }
        h = sd.nn().relu("relu2", pool(sd, "pool2", h), 0.0);
        SDVariable flat = sd.reshape("flat", h, -1, 320);
        SDVariable features = sd.nn().relu(FEATURES, dense(sd, "fc1", flat, 320, FEATURE_SIZE, rng), 0.0);
        SDVariable hidden = features;
        if (training) {
            hidden = features.mul("fc1_drop", sd.placeHolder(FC_DROP_MASK, DataType.FLOAT, -1, FEATURE_SIZE));
        }
        SDVariable logits = dense(sd, LOGITS, hidden, FEATURE_SIZE, 10, rng);
        sd.nn().softmax(PROBABILITIES, logits, 1);
        if (training) {
            SDVariable y = sd.placeHolder(LABEL, DataType.FLOAT, -1, 10);
            sd.loss().softmaxCrossEntropy(LOSS, y, logits, null);
            sd.setLossVariables(LOSS);
        }
        return sd;
    }

    private static SDVariable norm(SameDiff sd, Norm n, SDVariable in, boolean training) {
        SDVariable gamma = sd.var(n.name() + "_gamma", Nd4j.ones(DataType.FLOAT, n.channels()));
        SDVariable beta = sd.var(n.name() + "_beta", Nd4j.zeros(DataType.FLOAT, n.channels()));
        if (training) {
            return ComposedBatchNorm.training(n.name(), in, gamma, beta, n.channels(), EPS);
        }
        SDVariable mean = sd.constant(n.runningMean(), Nd4j.zeros(DataType.FLOAT, n.channels()));
        SDVariable var = sd.constant(n.runningVar(), Nd4j.ones(DataType.FLOAT, n.channels()));
        return ComposedBatchNorm.inference(n.name(), in, gamma, beta, mean, var, n.channels(), EPS);
    }

    private static SDVariable conv(SameDiff sd, String name, SDVariable in, int cin, int cout, Random rng) {
        double bound = 1 / Math.sqrt(25.0 * cin);
        SDVariable w = sd.var(name + "_W", uniform(rng, bound, 5, 5, cin, cout));
        SDVariable b = sd.var(name + "_b", uniform(rng, bound, cout));
        Conv2DConfig cfg = Conv2DConfig.builder().kH(5).kW(5).sH(1).sW(1).pH(0).pW(0)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").build();
        return sd.cnn().conv2d(name, in, w, b, cfg);
    }

    private static SDVariable dense(SameDiff sd, String name, SDVariable in, int nin, int nout, Random rng) {
        double bound = 1 / Math.sqrt(nin);
        SDVariable w = sd.var(name + "_W", uniform(rng, bound, nin, nout));
        SDVariable b = sd.var(name + "_b", uniform(rng, bound, 1, nout));
        return in.mmul(w).add(name, b);
    }

    private static SDVariable pool(SameDiff sd, String name, SDVariable in) {
        Pooling2DConfig cfg = Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2)
                .type(Pooling2D.Pooling2DType.MAX).paddingMode(PaddingMode.VALID).isNHWC(false).build();
        return sd.cnn().maxPooling2d(name, in, cfg);
    }

    private static INDArray uniform(Random rng, double bound, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
        }
        return Nd4j.create(v, shape, 'c');
    }
}
