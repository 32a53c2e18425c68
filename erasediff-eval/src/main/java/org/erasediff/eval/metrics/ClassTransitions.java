package org.erasediff.eval.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where an unconditional model's samples went: two models sampled from the same starting noise,
 * image i of one paired with image i of the other, and a judge's class for each; {@code counts[a][b]}
 * is the number of pairs the judge calls {@code a} before and {@code b} after.
 *
 * <p>The class histogram alone says how far each class's share moved; the transitions say why. A
 * share can move because the forgotten class's samples went there (row of the forgotten class) or
 * because samples of other classes changed class (the off-diagonal of the other rows): an
 * unconditional sampler maps starting noise to images chaotically, so a small change to the model
 * moves many samples between classes, and only the net of those moves shows in the histogram.
 *
 * @param counts {@code [classes][classes]} pair counts, rows the class before, columns after; copied
 */
public record ClassTransitions(int[][] counts) {

    /**
     * Validates and copies the matrix.
     *
     * @throws IllegalArgumentException if it is not square or has a negative count
     */
    public ClassTransitions {
        if (counts == null || counts.length == 0) {
            throw new IllegalArgumentException("counts must be a non-empty square matrix");
        }
        int[][] copy = new int[counts.length][];
        for (int a = 0; a < counts.length; a++) {
            if (counts[a] == null || counts[a].length != counts.length) {
                throw new IllegalArgumentException("counts must be square: row " + a + " has "
                        + (counts[a] == null ? 0 : counts[a].length) + " entries, expected " + counts.length);
            }
            for (int n : counts[a]) {
                if (n < 0) {
                    throw new IllegalArgumentException("counts must be >= 0, row " + a + " has " + n);
                }
            }
            copy[a] = counts[a].clone();
        }
        counts = copy;
    }

    /**
     * Counts the transitions of paired judge decisions.
     *
     * @param before     the judge's class of each image of the first model
     * @param after      the judge's class of the image from the same starting noise of the second
     * @param numClasses the judge's classes, {@code >= 1}
     * @return the transitions
     * @throws IllegalArgumentException if the arrays differ in length, are empty, or hold a class
     *                                  outside {@code [0, numClasses)}
     */
    public static ClassTransitions of(int[] before, int[] after, int numClasses) {
        if (before.length != after.length || before.length == 0) {
            throw new IllegalArgumentException("need the same number (>= 1) of paired decisions, were "
                    + before.length + " and " + after.length);
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, was " + numClasses);
        }
        int[][] counts = new int[numClasses][numClasses];
        for (int i = 0; i < before.length; i++) {
            if (before[i] < 0 || before[i] >= numClasses || after[i] < 0 || after[i] >= numClasses) {
                throw new IllegalArgumentException("image " + i + " has classes " + before[i] + " -> " + after[i]
                        + ", outside [0, " + numClasses + ")");
            }
            counts[before[i]][after[i]]++;
        }
        return new ClassTransitions(counts);
    }

    /** The number of pairs. */
    public int total() {
        return Arrays.stream(counts).flatMapToInt(Arrays::stream).sum();
    }

    /** The share of pairs whose class changed. */
    public double changedFraction() {
        int same = 0;
        for (int a = 0; a < counts.length; a++) {
            same += counts[a][a];
        }
        return 1.0 - same / (double) total();
    }

    /**
     * The net move of each class's share (after − before), counting only pairs that started in a
     * class other than {@code excluded}: what the other classes' exchanges did to the histogram,
     * without the samples of the excluded (forgotten) class.
     *
     * @param excluded classes whose rows are left out (e.g. the forgotten ones)
     * @return per class, the share after minus the share before, over all pairs
     */
    public double[] netMovesExcluding(List<Integer> excluded) {
        double[] moves = new double[counts.length];
        double n = total();
        for (int a = 0; a < counts.length; a++) {
            if (excluded.contains(a)) {
                continue;
            }
            for (int b = 0; b < counts.length; b++) {
                if (a != b) {
                    moves[b] += counts[a][b] / n;
                    moves[a] -= counts[a][b] / n;
                }
            }
        }
        return moves;
    }

    /**
     * The figures for a command's JSON: {@code changed_fraction} and {@code counts} (rows before,
     * columns after).
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("changed_fraction", changedFraction());
        m.put("counts", counts());
        return m;
    }

    /** A copy of the matrix. */
    @Override
    public int[][] counts() {
        return Arrays.stream(counts).map(int[]::clone).toArray(int[][]::new);
    }

    /**
     * The matrix as a Markdown table with the given class names.
     *
     * @param classNames one name per class
     * @return the table, rows the class before, columns after
     */
    public String toMarkdown(List<String> classNames) {
        if (classNames.size() != counts.length) {
            throw new IllegalArgumentException("need " + counts.length + " class names, got " + classNames.size());
        }
        StringBuilder s = new StringBuilder("| before \\ after |");
        classNames.forEach(c -> s.append(' ').append(c).append(" |"));
        s.append("\n|---|");
        s.append("---:|".repeat(counts.length)).append('\n');
        for (int a = 0; a < counts.length; a++) {
            s.append("| ").append(classNames.get(a)).append(" |");
            for (int b = 0; b < counts.length; b++) {
                s.append(' ').append(counts[a][b]).append(" |");
            }
            s.append('\n');
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassTransitions t && Arrays.deepEquals(counts, t.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(counts);
    }

    @Override
    public String toString() {
        return "ClassTransitions" + Arrays.deepToString(counts);
    }
}
