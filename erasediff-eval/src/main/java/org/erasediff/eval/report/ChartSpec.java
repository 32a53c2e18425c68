package org.erasediff.eval.report;

/**
 * Title, axis labels, size and scale of a chart. Immutable; serialises to and from JSON with Jackson.
 *
 * @param title  chart title, non-null (may be empty)
 * @param xLabel x-axis label, non-null
 * @param yLabel y-axis label, non-null
 * @param width  width in pixels, in {@code [100, 10000]} (default 800)
 * @param height height in pixels, in {@code [100, 10000]} (default 500)
 * @param logY   whether the y axis is logarithmic (then every y must be {@code > 0}; default false)
 */
public record ChartSpec(String title, String xLabel, String yLabel, int width, int height, boolean logY) {

    /** Default width in pixels. */
    public static final int DEFAULT_WIDTH = 800;
    /** Default height in pixels. */
    public static final int DEFAULT_HEIGHT = 500;

    /**
     * Validates.
     *
     * @throws IllegalArgumentException naming the field out of range
     */
    public ChartSpec {
        if (title == null || xLabel == null || yLabel == null) {
            throw new IllegalArgumentException("title, xLabel and yLabel must be non-null, found " + title + ", "
                    + xLabel + ", " + yLabel);
        }
        if (width < 100 || width > 10_000) {
            throw new IllegalArgumentException("width must be in [100, 10000], found " + width);
        }
        if (height < 100 || height > 10_000) {
            throw new IllegalArgumentException("height must be in [100, 10000], found " + height);
        }
    }

    /**
     * Starts a builder with the required texts.
     *
     * @param title  chart title
     * @param xLabel x-axis label
     * @param yLabel y-axis label
     * @return the builder
     */
    public static Builder builder(String title, String xLabel, String yLabel) {
        return new Builder(title, xLabel, yLabel);
    }

    /** Builder for {@link ChartSpec}. */
    public static final class Builder {
        private final String title;
        private final String xLabel;
        private final String yLabel;
        private int width = DEFAULT_WIDTH;
        private int height = DEFAULT_HEIGHT;
        private boolean logY;

        private Builder(String title, String xLabel, String yLabel) {
            this.title = title;
            this.xLabel = xLabel;
            this.yLabel = yLabel;
        }

        /** Size in pixels, each in {@code [100, 10000]} (default 800 × 500). */
        public Builder optSize(int width, int height) {
            this.width = width;
            this.height = height;
            return this;
        }

        /** Logarithmic y axis (default false). */
        public Builder optLogY(boolean value) {
            this.logY = value;
            return this;
        }

        /**
         * Builds the validated spec.
         *
         * @throws IllegalArgumentException naming the field out of range
         */
        public ChartSpec build() {
            return new ChartSpec(title, xLabel, yLabel, width, height, logY);
        }
    }
}
