package org.erasediff.testing;

import java.util.stream.IntStream;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.graph.DiffusionGraphSpec;
import org.erasediff.dl4j.graph.LabelEncoding;
import org.erasediff.dl4j.graph.TimestepEncoding;
import org.erasediff.dl4j.unet.UNetBuilder;
import org.erasediff.dl4j.unet.UNetConfig;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.TestDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test fixtures: a tiny labelled data set ({@link #stripes}, also as a DL4J iterator:
 * {@link #asIterator}) and tiny noise-prediction graphs with
 * their own placeholder names ("img", "step", "cls", "noise_hat"), small enough for unit tests
 * that train or unlearn in milliseconds per step.
 *
 * <ul>
 *   <li>{@link #conditional} / {@link #unconditional}: conv3x3 → tanh → conv3x3 with a time bias
 *       and (conditional) a class bias from a one-hot table, randomly initialised;</li>
 *   <li>{@link #stripesModel}: a conditional model that already generates {@link #stripes}
 *       exactly, so a test can check that unlearning makes a class disappear;</li>
 *   <li>{@link #tinyUNet}: the reference UNet at 8×8.</li>
 * </ul>
 * Shipped in the {@code tests} jar of erasediff-dl4j-plugin for downstream projects' tests.
 */
public final class TinyGraphs {

    /** Number of classes of {@link #stripes}. */
    public static final int STRIPES_CLASSES = 3;

    /** Name of the learnable per-class image table of {@link #stripesModel}. */
    public static final String CLASS_IMAGES = "class_images";

    private TinyGraphs() {
    }

    /**
     * 6×6 images: class 0 a bright left half, class 1 a bright right half, class 2 a bright middle band; labels cycle
     * 0, 1, 2 and sample ids are the positions.
     *
     * @param n number of images
     * @return the set, named "stripes"
     */
    public static LabelledImages stripes(int n) {
        return stripes(n, 6);
    }

    /**
     * As {@link #stripes(int)} at {@code size}×{@code size}.
     *
     * @param n    number of images
     * @param size image height and width (at least 2)
     * @return the set, named "stripes"
     */
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
        return new LabelledImages("stripes", 1, size, size, STRIPES_CLASSES, px, labels, ids);
    }

    /**
     * A set as a DL4J iterator, the way a DL4J pipeline hands data over: NCHW features in
     * [−1, 1], one-hot labels.
     *
     * @param images the images
     * @param batch  images per batch
     * @return an iterator over all images in order (resettable)
     */
    public static DataSetIterator asIterator(LabelledImages images, int batch) {
        INDArray x = Nd4j.create(DataType.FLOAT, images.size(), images.channels(), images.height(), images.width());
        images.copyScaled(IntStream.range(0, images.size()).toArray(), x, null);
        INDArray y = Nd4j.zeros(DataType.FLOAT, images.size(), images.numClasses());
        for (int i = 0; i < images.size(); i++) {
            y.putScalar(i, images.label(i), 1);
        }
        return new TestDataSetIterator(new DataSet(x, y), batch);
    }

    /**
     * The stripe of every class in [−1, 1], row c flattened {@code [size·size]}.
     *
     * @param size image height and width
     * @return {@code [STRIPES_CLASSES][size·size]}
     */
    public static float[][] stripeImages(int size) {
        LabelledImages one = stripes(STRIPES_CLASSES, size);
        float[][] out = new float[STRIPES_CLASSES][one.imageSize()];
        for (int c = 0; c < STRIPES_CLASSES; c++) {
            for (int k = 0; k < one.imageSize(); k++) {
                out[c][k] = one.pixel(c, k) * (2f / 255f) - 1f;
            }
        }
        return out;
    }

    /**
     * A conditional model on {@code size}×{@code size} images that generates {@link #stripes}
     * exactly: ε̂(x_t, t, c) = (x_t − √ᾱ_t·m_c) / √(1−ᾱ_t), the ideal noise prediction for a data
     * set holding one image m_c per class. The images m_c form the learnable variable
     * {@link #CLASS_IMAGES} ({@code [classes + 1, size·size]}, the last row, for the null label,
     * is their mean), initialised to the stripes, so sampling class c gives stripe c before any
     * training and unlearning a class has to move its row. Timesteps are INT32 indices.
     *
     * @param schedule the noise schedule the model is "trained" with
     * @param size     image height and width
     * @return the model with its spec (names "img", "step", "cls", "noise_hat")
     */
    public static DiffusionGraph stripesModel(NoiseSchedule schedule, int size) {
        int t = schedule.numTimesteps();
        float[] signal = new float[t];
        float[] inverseNoise = new float[t];
        for (int i = 0; i < t; i++) {
            signal[i] = (float) schedule.sqrtAlphaBar(i);
            inverseNoise[i] = (float) (1 / schedule.sqrtOneMinusAlphaBar(i));
        }
        float[][] stripes = stripeImages(size);
        int pixels = size * size;
        float[][] table = new float[STRIPES_CLASSES + 1][];
        System.arraycopy(stripes, 0, table, 0, STRIPES_CLASSES);
        table[STRIPES_CLASSES] = new float[pixels];
        for (float[] stripe : stripes) {
            for (int k = 0; k < pixels; k++) {
                table[STRIPES_CLASSES][k] += stripe[k] / STRIPES_CLASSES;
            }
        }
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("img", DataType.FLOAT, -1, 1, size, size);
        SDVariable step = sd.placeHolder("step", DataType.INT32, -1);
        SDVariable cls = sd.placeHolder("cls", DataType.INT32, -1);
        SDVariable a = sd.gather(sd.constant("sqrt_alpha_bar", Nd4j.createFromArray(signal)), step, 0)
                .reshape(-1, 1, 1, 1);
        SDVariable b = sd.gather(sd.constant("inv_sqrt_one_minus_alpha_bar", Nd4j.createFromArray(inverseNoise)),
                step, 0).reshape(-1, 1, 1, 1);
        SDVariable images = sd.var(CLASS_IMAGES, Nd4j.createFromArray(table));
        SDVariable m = sd.oneHot(cls, STRIPES_CLASSES + 1).castTo(DataType.FLOAT).mmul(images)
                .reshape(-1, 1, size, size);
        x.sub(m.mul(a)).mul(b).rename("noise_hat");
        DiffusionGraphSpec spec = DiffusionGraphSpec.builder("img", "step", "noise_hat")
                .timestepIndex(TimestepEncoding.INDEX_INT).labels("cls", LabelEncoding.INDEX, STRIPES_CLASSES)
                .numTimesteps(t).build();
        return new DiffusionGraph(sd, spec);
    }

    /**
     * A randomly initialised conditional graph on 1×6×6 images with a null class; INDEX labels,
     * float timesteps.
     *
     * @param classes number of classes
     * @param seed    seed of the initial weights
     * @return the graph (see {@link #conditionalSpec})
     */
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

    /**
     * The graph of {@link #conditional} without labels.
     *
     * @param seed seed of the initial weights
     * @return the graph (see {@link #unconditionalSpec})
     */
    public static SameDiff unconditional(long seed) {
        Nd4j.getRandom().setSeed(seed);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("img", DataType.FLOAT, -1, 1, 6, 6);
        SDVariable t = sd.placeHolder("step", DataType.FLOAT, -1);
        head(sd, body(sd, x, t));
        return sd;
    }

    /**
     * A tiny reference UNet (8×8 images, widths 8/16, 3 classes) with its spec.
     *
     * @param seed seed of the initial weights
     * @return the model
     */
    public static DiffusionGraph tinyUNet(long seed) {
        UNetConfig cfg = UNetConfig.builder().optImageSize(8)
                .optWidths(8, 16).optGroups(4).optAttentionHeads(2).optNumClasses(3).optTimeEmbeddingBase(16)
                .optTimeEmbeddingWidth(32).optSeed(seed).build();
        return UNetBuilder.buildDiffusionGraph(cfg);
    }

    /**
     * Spec of {@link #conditional}.
     *
     * @param classes number of classes
     * @return the spec
     */
    public static DiffusionGraphSpec conditionalSpec(int classes) {
        return DiffusionGraphSpec.builder("img", "step", "noise_hat").labels("cls", LabelEncoding.INDEX, classes).build();
    }

    /**
     * Spec of {@link #unconditional}.
     *
     * @return the spec
     */
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
