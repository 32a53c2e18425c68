package org.erasediff.core.data;

/**
 * The value range of image features handed over as arrays (e.g. by a DL4J iterator): the lowest
 * value is black (pixel 0) and the highest white (pixel 255).
 */
public enum PixelRange {
    /** [−1, 1]: the range diffusion models here are trained in. */
    SIGNED_UNIT(-1, 1),
    /** [0, 1]: the range of DL4J's {@code ImagePreProcessingScaler} and MNIST iterator. */
    UNIT(0, 1);

    private final double low;
    private final double high;

    PixelRange(double low, double high) {
        this.low = low;
        this.high = high;
    }

    /** @return the value of a black pixel */
    public double low() {
        return low;
    }

    /** @return the value of a white pixel */
    public double high() {
        return high;
    }

    @Override
    public String toString() {
        return "[" + (int) low + ", " + (int) high + "]";
    }
}
