package org.erasediff.dl4j.unet;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

/**
 * Creates the trainable variables of one graph with a reproducible initialisation: weights
 * N(0, scale²/fan_in) drawn from one {@link SplittableRandom} in creation order (independent of
 * ND4J's global RNG), biases and shifts 0, norm scales 1.
 */
final class ParameterFactory {

    private final SameDiff sd;
    private final DataType dataType;
    private final SplittableRandom random;

    ParameterFactory(SameDiff sd, DataType dataType, long seed) {
        this.sd = sd;
        this.dataType = dataType;
        this.random = new SplittableRandom(seed);
    }

    /** A weight drawn from N(0, scale²/fanIn). */
    SDVariable gaussian(String name, long fanIn, double scale, long... shape) {
        double std = scale / Math.sqrt(fanIn);
        double[] values = new double[Math.toIntExact(length(shape))];
        for (int i = 0; i < values.length; i++) {
            values[i] = std * random.nextGaussian();
        }
        INDArray array = Nd4j.create(values, shape, DataType.DOUBLE).castTo(dataType);
        return sd.var(name, array);
    }

    /** A variable filled with zeros. */
    SDVariable zeros(String name, long... shape) {
        return sd.var(name, Nd4j.zeros(dataType, shape));
    }

    /** A variable filled with ones. */
    SDVariable ones(String name, long... shape) {
        return sd.var(name, Nd4j.ones(dataType, shape));
    }

    private static long length(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }
}
