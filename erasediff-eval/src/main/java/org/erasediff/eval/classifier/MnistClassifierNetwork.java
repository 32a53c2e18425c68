package org.erasediff.eval.classifier;

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
 * The reference evaluation classifier for 28×28 grayscale digits, as a SameDiff graph:
 * conv3×3(32)→ReLU→maxpool → conv3×3(64)→ReLU→maxpool → conv3×3(64)→ReLU → dense(128)→ReLU
 * ({@value #FEATURES}, the feature vector) → dense(10) → softmax ({@value #PROBABILITIES}).
 * Placeholders: {@value #IMAGE} {@code [B, 1, 28, 28]} in [−1, 1] and {@value #LABEL} one-hot
 * {@code [B, 10]} (training only); loss {@value #LOSS} (mean cross-entropy).
 */
public final class MnistClassifierNetwork {

    /** Image placeholder. */
    public static final String IMAGE = "image";
    /** One-hot label placeholder. */
    public static final String LABEL = "label";
    /** Class probabilities output. */
    public static final String PROBABILITIES = "probabilities";
    /** Penultimate features (128 values after ReLU). */
    public static final String FEATURES = "features";
    /** Training loss. */
    public static final String LOSS = "loss";
    /** Number of feature values. */
    public static final int FEATURE_SIZE = 128;

    private MnistClassifierNetwork() {
    }

    /** Builds a freshly initialised network (He-normal weights from {@code seed}, zero biases). */
    public static SameDiff build(long seed) {
        Random rng = new Random(seed);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder(IMAGE, DataType.FLOAT, -1, 1, 28, 28);
        SDVariable y = sd.placeHolder(LABEL, DataType.FLOAT, -1, 10);
        SDVariable h = convRelu(sd, "conv1", x, 1, 32, rng);
        h = pool(sd, "pool1", h);
        h = convRelu(sd, "conv2", h, 32, 64, rng);
        h = pool(sd, "pool2", h);
        h = convRelu(sd, "conv3", h, 64, 64, rng);
        SDVariable flat = sd.reshape("flat", h, -1, 64 * 7 * 7);
        SDVariable w1 = sd.var("dense1_W", normal(rng, Math.sqrt(2.0 / (64 * 7 * 7)), 64 * 7 * 7, FEATURE_SIZE));
        SDVariable b1 = sd.var("dense1_b", Nd4j.zeros(DataType.FLOAT, 1, FEATURE_SIZE));
        SDVariable features = sd.nn().relu(FEATURES, flat.mmul(w1).add(b1), 0.0);
        SDVariable w2 = sd.var("dense2_W", normal(rng, Math.sqrt(1.0 / FEATURE_SIZE), FEATURE_SIZE, 10));
        SDVariable b2 = sd.var("dense2_b", Nd4j.zeros(DataType.FLOAT, 1, 10));
        SDVariable logits = features.mmul(w2).add("logits", b2);
        sd.nn().softmax(PROBABILITIES, logits, 1);
        sd.loss().softmaxCrossEntropy(LOSS, y, logits, null);
        sd.setLossVariables(LOSS);
        return sd;
    }

    /** Wraps a graph built here (or loaded from a saved one) as an evaluation classifier. */
    public static SameDiffClassifier wrap(SameDiff sd) {
        return new SameDiffClassifier(sd, IMAGE, PROBABILITIES, FEATURES, 500);
    }

    private static SDVariable convRelu(SameDiff sd, String name, SDVariable in, int cin, int cout, Random rng) {
        SDVariable w = sd.var(name + "_W", normal(rng, Math.sqrt(2.0 / (9 * cin)), 3, 3, cin, cout));
        SDVariable b = sd.var(name + "_b", Nd4j.zeros(DataType.FLOAT, cout));
        Conv2DConfig cfg = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1)
                .paddingMode(PaddingMode.SAME).dataFormat("NCHW").build();
        return sd.nn().relu(name + "_out", sd.cnn().conv2d(name, in, w, b, cfg), 0.0);
    }

    private static SDVariable pool(SameDiff sd, String name, SDVariable in) {
        Pooling2DConfig cfg = Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2)
                .type(Pooling2D.Pooling2DType.MAX).paddingMode(PaddingMode.VALID).isNHWC(false).build();
        return sd.cnn().maxPooling2d(name, in, cfg);
    }

    private static INDArray normal(Random rng, double std, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rng.nextGaussian() * std);
        }
        return Nd4j.create(v, shape, 'c');
    }
}
