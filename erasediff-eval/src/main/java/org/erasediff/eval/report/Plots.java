package org.erasediff.eval.report;

import org.erasediff.dl4j.checkpoint.AtomicFiles;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Line charts (loss curves, λ and q over steps) and labelled scatter plots (forgetting against
 * quality, one point per model), drawn with XChart into images or PNG files. Runs headless. The
 * legend sits below the plot; scatter axes are padded so no point touches the border.
 */
public final class Plots {

    static {
        Headless.ensure();
    }

    private Plots() {
    }

    /**
     * Draws one or more lines.
     *
     * @param spec   title, labels, size and scale
     * @param series the lines, at least one, with distinct names
     * @return a new image owned by the caller
     * @throws IllegalArgumentException if there is no series, names repeat, or a log axis meets
     *                                  a value {@code <= 0}
     */
    public static BufferedImage lineChart(ChartSpec spec, List<Series> series) {
        XYChart chart = newChart(spec);
        if (series == null || series.isEmpty()) {
            throw new IllegalArgumentException("series must hold at least one line, found none");
        }
        Set<String> names = new HashSet<>();
        for (Series s : series) {
            if (s == null || !names.add(s.name())) {
                throw new IllegalArgumentException("series must be non-null with distinct names, found "
                        + (s == null ? "null" : "a repeated '" + s.name() + "'"));
            }
            double[] y = s.y();
            requirePositiveForLog(spec, y, s.name());
            XYSeries line = chart.addSeries(s.name(), s.x(), y);
            line.setMarker(SeriesMarkers.NONE);
        }
        chart.getStyler().setLegendVisible(series.size() > 1);
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * Draws labelled points (each its own legend entry).
     *
     * @param spec   title, labels, size and scale
     * @param points the points, at least one, with distinct labels
     * @return a new image owned by the caller
     * @throws IllegalArgumentException if there is no point, labels repeat, or a log axis meets
     *                                  a value {@code <= 0}
     */
    public static BufferedImage scatter(ChartSpec spec, List<LabelledPoint> points) {
        XYChart chart = newChart(spec);
        if (points == null || points.isEmpty()) {
            throw new IllegalArgumentException("points must hold at least one point, found none");
        }
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(12);
        Set<String> labels = new HashSet<>();
        for (LabelledPoint p : points) {
            if (p == null || !labels.add(p.label())) {
                throw new IllegalArgumentException("points must be non-null with distinct labels, found "
                        + (p == null ? "null" : "a repeated '" + p.label() + "'"));
            }
            requirePositiveForLog(spec, new double[] {p.y()}, p.label());
            chart.addSeries(p.label(), new double[] {p.x()}, new double[] {p.y()});
        }
        padAxes(chart, spec, points);
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * Draws lines and writes them as a PNG atomically.
     *
     * @param png    target file
     * @param spec   title, labels, size and scale
     * @param series the lines
     * @throws IOException if writing fails
     */
    public static void writeLineChart(Path png, ChartSpec spec, List<Series> series) throws IOException {
        AtomicFiles.writePng(png, lineChart(spec, series));
    }

    /**
     * Draws labelled points and writes them as a PNG atomically.
     *
     * @param png    target file
     * @param spec   title, labels, size and scale
     * @param points the points
     * @throws IOException if writing fails
     */
    public static void writeScatter(Path png, ChartSpec spec, List<LabelledPoint> points) throws IOException {
        AtomicFiles.writePng(png, scatter(spec, points));
    }

    private static XYChart newChart(ChartSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("spec must not be null");
        }
        XYChart chart = new XYChartBuilder().width(spec.width()).height(spec.height()).title(spec.title())
                .xAxisTitle(spec.xLabel()).yAxisTitle(spec.yLabel()).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setYAxisLogarithmic(spec.logY());
        return chart;
    }

    /** Keeps points off the plot border: 10 % of the range on each side (a factor 1.25 on a log axis). */
    private static void padAxes(XYChart chart, ChartSpec spec, List<LabelledPoint> points) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (LabelledPoint p : points) {
            minX = Math.min(minX, p.x());
            maxX = Math.max(maxX, p.x());
            minY = Math.min(minY, p.y());
            maxY = Math.max(maxY, p.y());
        }
        double padX = padding(minX, maxX);
        chart.getStyler().setXAxisMin(minX - padX).setXAxisMax(maxX + padX);
        if (spec.logY()) {
            chart.getStyler().setYAxisMin(minY / 1.25).setYAxisMax(maxY * 1.25);
        } else {
            double padY = padding(minY, maxY);
            chart.getStyler().setYAxisMin(minY - padY).setYAxisMax(maxY + padY);
        }
    }

    private static double padding(double min, double max) {
        double range = max - min;
        if (range > 0) {
            return 0.1 * range;
        }
        return Math.abs(min) > 0 ? 0.1 * Math.abs(min) : 1;
    }

    private static void requirePositiveForLog(ChartSpec spec, double[] y, String name) {
        if (!spec.logY()) {
            return;
        }
        for (int i = 0; i < y.length; i++) {
            if (!(y[i] > 0)) {
                throw new IllegalArgumentException("'" + name + "' values must be > 0 on a logarithmic y axis, found "
                        + y[i] + " at " + i);
            }
        }
    }
}
