package org.erasediff.eval.report;

/**
 * One labelled point of a scatter plot, for example a model placed by forgetting (x) and quality (y).
 *
 * @param label legend label, non-blank and unique within a plot
 * @param x     x value, finite
 * @param y     y value, finite
 */
public record LabelledPoint(String label, double x, double y) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if the label is blank or a value is not finite
     */
    public LabelledPoint {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("label must be non-blank, found " + (label == null ? "null" : "'" + label + "'"));
        }
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("point '" + label + "' must have finite coordinates, found (" + x + ", " + y + ")");
        }
    }
}
