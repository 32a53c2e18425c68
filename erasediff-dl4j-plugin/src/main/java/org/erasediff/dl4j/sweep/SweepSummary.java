package org.erasediff.dl4j.sweep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.erasediff.dl4j.checkpoint.AtomicFiles;

/**
 * The outcome of a sweep: how many candidates finished (and failed), the best one by the
 * scalarised score and the Pareto front over (forgetting, quality).
 *
 * @param candidates finished candidates (scored or failed)
 * @param failed     candidates whose run failed
 * @param best       the first scored candidate in the objective's ranking: the lowest score among those
 *                   meeting its bars, or among all when none does ({@code null} if none was scored)
 * @param pareto     the scored candidates no other dominates, by forgetting
 */
public record SweepSummary(int candidates, int failed, SweepRecord best, List<SweepRecord> pareto) {

    /** Name of the exported best config in a sweep's folder. */
    public static final String BEST_CONFIG = "best-config.json";

    /** Copies the front. */
    public SweepSummary {
        pareto = List.copyOf(pareto);
    }

    /**
     * Summarises finished candidates.
     *
     * @param records   the candidates
     * @param objective the score and the Pareto figures
     */
    public static SweepSummary of(List<SweepRecord> records, SweepObjective objective) {
        List<SweepRecord> ok = new ArrayList<>();
        for (SweepRecord r : records) {
            if (r.isOk()) {
                ok.add(r);
            }
        }
        SweepRecord best = ok.stream().min(objective.ranking()).orElse(null);
        return new SweepSummary(records.size(), records.size() - ok.size(), best,
                objective.paretoFront(ok, SweepRecord::metrics));
    }

    /**
     * Writes the best candidate's config to {@code dir/}{@value #BEST_CONFIG}, atomically, exactly
     * as its config class writes it ({@code EraseDiffConfig.toJson()} for EraseDiff).
     *
     * @return the file
     * @throws IllegalStateException if no candidate was scored
     * @throws IOException           if writing fails
     */
    public Path writeBestConfig(Path dir) throws IOException {
        if (best == null) {
            throw new IllegalStateException("no candidate was scored: there is no best config");
        }
        Path file = dir.resolve(BEST_CONFIG);
        AtomicFiles.writeString(file, best.candidate().configJson());
        return file;
    }

    /** {@code {"candidates": n, "failed": f, "best": {…}, "pareto": […]}}, for a command's JSON line. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("candidates", candidates);
        m.put("failed", failed);
        m.put("best", best == null ? null : entry(best));
        m.put("pareto", pareto.stream().map(SweepSummary::entry).toList());
        return m;
    }

    /** One candidate for a report: index, hash, method, swept values, figures and objective. */
    public static Map<String, Object> entry(SweepRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", r.index());
        m.put("config_hash", r.configHash());
        m.put("method", r.method());
        m.put("parameters", r.parameters());
        m.put("metrics", r.metrics());
        m.put("objective", r.objective());
        return m;
    }
}
