package org.erasediff.dl4j;

import org.erasediff.core.data.LabelledImages;
import org.erasediff.dl4j.graph.DiffusionGraphSpec;
import org.erasediff.dl4j.graph.LabelEncoding;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Small noise-prediction graphs built with the test's own names ("img", "step", "cls", "noise_hat"):
 * conv3x3 → tanh → conv3x3, plus a time bias and (conditional) a class bias from a one-hot table.
 */
public final class TinyGraphs {
    private TinyGraphs() {
    }

    /** 6×6 images: class 0 a bright left half, class 1 a bright right half, class 2 a bright middle band. */
    public static LabelledImages stripes(int n) {
        return stripes(n, 6);
    }

    /** As {@link #stripes(int)} at {@code size}×{@code size}. */
    public static LabelledImages stripes(int n, int size) {
        int h = size / 2;
        byte[] px = new byte[n * size * size];
        int[] labels = new int[n];
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            ids[i] = i;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean on = switch (labels[i]) {
                        case 0 -> x < h;
                        case 1 -> x >= h;
                        default -> y >= h / 2 && y < h / 2 + h;
                    };
                    px[i * size * size + y * size + x] = (byte) (on ? 255 : 0);
                }
            }
        }
        return new LabelledImages("stripes", 1, size, size, 3, px, labels, ids);
    }

    /** A conditional graph on 1×6×6 images with {@code classes} classes and a null class; INDEX labels, float t. */
    public static SameDiff conditional(int classes, long seed) {
        Nd4j.getRandom().setSeed(seed);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("img", DataType.FLOAT, -1, 1, 6, 6);
        SDVariable t = sd.placeHolder("step", DataType.FLOAT, -1);
        SDVariable c = sd.placeHolder("cls", DataType.INT32, -1);
        SDVariable h = body(sd, x, t);
        SDVariable table = sd.var("class_table", Nd4j.randn(DataType.FLOAT, classes + 1, 4).muli(0.3));
        SDVariable cb = sd.oneHot(c, classes + 1).castTo(DataType.FLOAT).mmul(table).reshape(-1, 4, 1, 1);
        head(sd, h.add(cb));
        return sd;
    }

    /** The same graph without labels. */
    public static SameDiff unconditional(long seed) {
        Nd4j.getRandom().setSeed(seed);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("img", DataType.FLOAT, -1, 1, 6, 6);
        SDVariable t = sd.placeHolder("step", DataType.FLOAT, -1);
        head(sd, body(sd, x, t));
        return sd;
    }

    /** A tiny reference UNet (8×8 images, widths 8/16, 3 classes) with its spec. */
    public static org.erasediff.dl4j.graph.DiffusionGraph tinyUNet(long seed) {
        org.erasediff.dl4j.unet.UNetConfig cfg = org.erasediff.dl4j.unet.UNetConfig.builder().optImageSize(8)
                .optWidths(8, 16).optGroups(4).optAttentionHeads(2).optNumClasses(3).optTimeEmbeddingBase(16)
                .optTimeEmbeddingWidth(32).optSeed(seed).build();
        return org.erasediff.dl4j.unet.UNetBuilder.buildDiffusionGraph(cfg);
    }

    /** Spec of {@link #conditional}. */
    public static DiffusionGraphSpec conditionalSpec(int classes) {
        return DiffusionGraphSpec.builder("img", "step", "noise_hat").labels("cls", LabelEncoding.INDEX, classes).build();
    }

    /** Spec of {@link #unconditional}. */
    public static DiffusionGraphSpec unconditionalSpec() {
        return DiffusionGraphSpec.builder("img", "step", "noise_hat").build();
    }

    private static SDVariable body(SameDiff sd, SDVariable x, SDVariable t) {
        SDVariable w1 = sd.var("conv1_W", Nd4j.randn(DataType.FLOAT, 3, 3, 1, 4).muli(0.4));
        SDVariable b1 = sd.var("conv1_b", Nd4j.zeros(DataType.FLOAT, 4));
        SDVariable tw = sd.var("time_W", Nd4j.randn(DataType.FLOAT, 1, 4).muli(0.001));
        SDVariable tb = t.reshape(-1, 1).mmul(tw).reshape(-1, 4, 1, 1);
        return sd.cnn().conv2d(x, w1, b1, conv()).add(tb);
    }

    private static void head(SameDiff sd, SDVariable h) {
        SDVariable w2 = sd.var("conv2_W", Nd4j.randn(DataType.FLOAT, 3, 3, 4, 1).muli(0.3));
        SDVariable b2 = sd.var("conv2_b", Nd4j.zeros(DataType.FLOAT, 1));
        sd.cnn().conv2d("noise_hat", sd.math().tanh(h), w2, b2, conv());
    }

    private static Conv2DConfig conv() {
        return Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1).paddingMode(PaddingMode.SAME)
                .dataFormat("NCHW").build();
    }
}
