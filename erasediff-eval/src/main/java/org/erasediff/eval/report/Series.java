package org.erasediff.eval.report;

import java.util.Arrays;

/**
 * One named line of a line chart: {@code y} over {@code x}. Arrays are copied on the way in and out.
 *
 * @param name legend label, non-blank
 * @param x    x values (for example steps), finite, same length as {@code y}, at least 1
 * @param y    y values, finite
 */
public record Series(String name, double[] x, double[] y) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if the name is blank, the lengths differ or are 0, or a
     *                                  value is not finite
     */
    public Series {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must be non-blank, found " + (name == null ? "null" : "'" + name + "'"));
        }
        if (x == null || y == null || x.length != y.length || x.length == 0) {
            throw new IllegalArgumentException("series '" + name + "' x and y must be non-empty and of equal length, found "
                    + (x == null ? "null" : x.length) + " and " + (y == null ? "null" : y.length));
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("series '" + name + "' values must be finite, found ("
                        + x[i] + ", " + y[i] + ") at " + i);
            }
        }
        x = x.clone();
        y = y.clone();
    }

    /**
     * A series over the indices {@code 0, 1, …, n − 1} (for example one value per step).
     *
     * @param name legend label
     * @param y    the values; not modified
     * @return the series
     */
    public static Series of(String name, double[] y) {
        if (y == null) {
            throw new IllegalArgumentException("series '" + name + "' y must not be null");
        }
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        return new Series(name, x, y);
    }

    /** The x values (a copy). */
    @Override
    public double[] x() {
        return x.clone();
    }

    /** The y values (a copy). */
    @Override
    public double[] y() {
        return y.clone();
    }

    /** Equal when names and all values are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Series s && name.equals(s.name) && Arrays.equals(x, s.x) && Arrays.equals(y, s.y);
    }

    /** Hash over the name and values. */
    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(x)) + Arrays.hashCode(y);
    }

    /** The name and length. */
    @Override
    public String toString() {
        return "Series[name=" + name + ", length=" + x.length + "]";
    }
}
