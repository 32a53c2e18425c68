package org.erasediff.samples.cli;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The readable form of an unlearning run's figures: one row per metric, before and after side by side. */
final class SummaryTable {

    private SummaryTable() {
    }

    /** Prints a run's figures: one JSON line if {@code json}, else the table. */
    static void print(Map<String, Object> figures, boolean json) {
        if (json) {
            JsonOutput.print(figures, true);
        } else {
            System.out.print(render(figures));
            System.out.flush();
        }
    }

    /**
     * @param figures a run's figures ({@code before}, {@code after}, {@code seconds},
     *                {@code eval_seconds}, {@code output})
     * @return the table and a closing line, each line ending in a newline
     */
    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> figures) {
        StringBuilder sb = new StringBuilder();
        Map<String, Object> before = (Map<String, Object>) figures.get("before");
        Map<String, Object> after = (Map<String, Object>) figures.get("after");
        if (before != null && after != null) {
            Set<String> keys = new LinkedHashSet<>(before.keySet());
            keys.addAll(after.keySet());
            int w = Math.max(6, keys.stream().mapToInt(String::length).max().orElse(6));
            String row = "%-" + w + "s  %12s  %12s%n";
            sb.append(String.format(Locale.ROOT, row, "metric", "before", "after"));
            sb.append("-".repeat(w + 28)).append('\n');
            for (String k : keys) {
                sb.append(String.format(Locale.ROOT, row, k, cell(before.get(k)), cell(after.get(k))));
            }
        }
        sb.append(String.format(Locale.ROOT, "unlearning %.1f s", (Double) figures.get("seconds")));
        if (figures.get("eval_seconds") instanceof Double e) {
            sb.append(String.format(Locale.ROOT, ", evaluation %.1f s", e));
        }
        sb.append("; run folder ").append(figures.get("output")).append('\n');
        return sb.toString();
    }

    private static String cell(Object v) {
        if (v instanceof Double d) {
            return Math.abs(d) >= 100 ? String.format(Locale.ROOT, "%.1f", d) : String.format(Locale.ROOT, "%.4f", d);
        }
        if (v instanceof double[] a) {
            return Arrays.stream(a).mapToObj(x -> String.format(Locale.ROOT, "%.2f", x))
                    .reduce((x, y) -> x + " " + y).orElse("");
        }
        return v == null ? "-" : v.toString();
    }
}
