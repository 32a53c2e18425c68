package org.erasediff.dl4j.unet;

/**
 * Closed-form size and cost of the network {@link UNetBuilder} builds for a config.
 *
 * <p>FLOPs count only convolutions and matrix products, as 2 × multiply-adds, for one forward
 * pass over a batch of {@code B}:
 * <ul>
 *   <li>k×k convolution, {@code cin → cout}, output {@code S×S}: {@code 2·B·S²·cin·cout·k²};</li>
 *   <li>linear map {@code in → out} (time MLP, per-block embedding projections, the one-hot ×
 *       {@code class_emb_W} product): {@code 2·B·in·out};</li>
 *   <li>attention over {@code T = S²} positions at width {@code C}: Q, K, V and output
 *       projections {@code 4·2·B·T·C²}, scores and weighted sum {@code 2·2·B·T²·C}.</li>
 * </ul>
 * Normalisation, activations, additions, the sinusoidal encoding, softmax, upsampling and
 * concatenation are not counted. A training step (forward + backward) is commonly taken as
 * about 3× the forward FLOPs.
 *
 * @param parameterCount number of trainable scalars
 * @param forwardFlops   floating-point operations of one forward pass at the given batch
 */
public record UNetCost(long parameterCount, long forwardFlops) {

    /**
     * Computes the cost of {@code config}'s network at batch size {@code batch}.
     *
     * @throws IllegalArgumentException if {@code batch < 1}
     */
    public static UNetCost of(UNetConfig config, long batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, found " + batch);
        }
        Counter c = new Counter(batch);
        int e = config.timeEmbeddingWidth();
        c.linear(config.timeEmbeddingBase(), e, true);
        c.linear(e, e, true);
        if (config.isConditional()) {
            c.linear(config.numClasses() + 1, e, false);
        }
        int levels = config.levels();
        c.conv(config.imageChannels(), config.width(0), 3, config.imageSize());
        int width = config.width(0);
        int[] skipWidths = new int[levels];
        for (int l = 0; l < levels; l++) {
            for (int i = 0; i < config.resBlocksPerLevel(); i++) {
                c.resBlock(width, config.width(l), e, config.resolution(l));
                width = config.width(l);
            }
            skipWidths[l] = width;
            if (l < levels - 1) {
                c.conv(width, width, 3, config.resolution(l + 1));
            }
        }
        int lowestRes = config.resolution(levels - 1);
        if (config.attention()) {
            c.params += 2L * width + 4L * width * width;
            long tokens = (long) lowestRes * lowestRes;
            c.flops += batch * (8L * tokens * width * width + 4L * tokens * tokens * width);
        }
        c.resBlock(width, width, e, lowestRes);
        for (int l = levels - 2; l >= 0; l--) {
            width += skipWidths[l];
            for (int i = 0; i < config.resBlocksPerLevel(); i++) {
                c.resBlock(width, config.width(l), e, config.resolution(l));
                width = config.width(l);
            }
        }
        c.params += 2L * width;
        c.conv(width, config.imageChannels(), 3, config.imageSize());
        return new UNetCost(c.params, c.flops);
    }

    private static final class Counter {
        private final long batch;
        private long params;
        private long flops;

        Counter(long batch) {
            this.batch = batch;
        }

        void conv(long cin, long cout, long k, long outRes) {
            params += k * k * cin * cout + cout;
            flops += 2 * batch * outRes * outRes * cin * cout * k * k;
        }

        void linear(long in, long out, boolean bias) {
            params += in * out + (bias ? out : 0);
            flops += 2 * batch * in * out;
        }

        void resBlock(long cin, long cout, long e, long res) {
            params += 2 * cin + 2 * cout;
            conv(cin, cout, 3, res);
            linear(e, cout, true);
            conv(cout, cout, 3, res);
            if (cin != cout) {
                conv(cin, cout, 1, res);
            }
        }
    }
}
