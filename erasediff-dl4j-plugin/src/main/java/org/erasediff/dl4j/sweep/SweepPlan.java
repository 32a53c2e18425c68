package org.erasediff.dl4j.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.erasediff.dl4j.checkpoint.AtomicFiles;

/**
 * The candidate sequence of a sweep: Arbiter's random or grid generator over a space, seeded, cut
 * at the candidate budget. The same space and settings always give the same candidates in the same
 * order, which is what lets a sweep resume and lets a cluster runner hand candidates out.
 */
public final class SweepPlan {

    /** Name of the sweep's description in its folder. */
    public static final String DESCRIPTION = "sweep.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final UnlearningSpace space;
    private final SweepSettings settings;
    private final List<CandidateConfig> candidates;

    /**
     * Draws every candidate once, so that a space giving an invalid config fails here, before any
     * candidate runs.
     *
     * @throws IllegalArgumentException if a candidate's config is invalid (the config's message)
     */
    public SweepPlan(UnlearningSpace space, SweepSettings settings) {
        this.space = space;
        this.settings = settings;
        CandidateGenerator g = generator();
        int n = settings.search() == SweepSettings.Search.GRID
                ? Math.min(settings.maxCandidates(), ((GridSearchCandidateGenerator) g).getTotalNumCandidates())
                : settings.maxCandidates();
        List<CandidateConfig> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Candidate<?> c = g.getCandidate();
            if (c.getException() != null) {
                Throwable e = c.getException();
                throw new IllegalArgumentException("the space gives an invalid candidate " + i + ": " + e.getMessage(),
                        e);
            }
            list.add((CandidateConfig) c.getValue());
        }
        candidates = List.copyOf(list);
    }

    /** A fresh generator producing this plan's sequence (then more, for random search). */
    public CandidateGenerator generator() {
        CandidateGenerator g = settings.search() == SweepSettings.Search.GRID
                ? new GridSearchCandidateGenerator(space, settings.gridPoints(),
                        GridSearchCandidateGenerator.Mode.Sequential, null)
                : new RandomSearchGenerator(space, null);
        g.setRngSeed(settings.seed());
        return g;
    }

    /** The candidates, index = position. */
    public List<CandidateConfig> candidates() {
        return candidates;
    }

    /** The number of candidates. */
    public int size() {
        return candidates.size();
    }

    /** The space. */
    public UnlearningSpace space() {
        return space;
    }

    /** The settings. */
    public SweepSettings settings() {
        return settings;
    }

    /**
     * Writes {@code dir/}{@value #DESCRIPTION} atomically: the settings, the number of candidates and
     * each swept parameter's space (Arbiter's description of its range or choices), for the record.
     *
     * @throws IOException if writing fails
     */
    public void writeDescription(Path dir) throws IOException {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("settings", settings);
        d.put("candidates", candidates.size());
        Map<String, String> spaces = new LinkedHashMap<>();
        space.getNestedSpaces().forEach((name, p) -> spaces.put(name, String.valueOf(p)));
        d.put("space", spaces);
        AtomicFiles.writeString(dir.resolve(DESCRIPTION), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(d));
    }

    /**
     * Summarises this plan's finished candidates in {@code results} and, when one was scored, writes
     * the best config into the results folder ({@link SweepSummary#writeBestConfig}).
     *
     * @throws IOException if the config cannot be written
     */
    public SweepSummary summarise(SweepResults results) throws IOException {
        List<SweepRecord> mine = results.records().stream().filter(r -> r.index() < candidates.size()).toList();
        SweepSummary summary = SweepSummary.of(mine, settings.objective());
        if (summary.best() != null) {
            summary.writeBestConfig(results.dir());
        }
        return summary;
    }

    /**
     * Checks that finished candidates in {@code results} belong to this plan.
     *
     * @throws IllegalArgumentException if a stored candidate's config differs from this plan's at its index
     */
    public void checkAgainst(SweepResults results) {
        for (SweepRecord r : results.records()) {
            if (r.index() >= candidates.size()) {
                continue; // from a sitting with a larger budget: kept, not part of this plan
            }
            String expected = SweepRecord.hash(candidates.get(r.index()));
            if (!expected.equals(r.configHash())) {
                throw new IllegalArgumentException(results.dir().resolve(SweepResults.JSONL) + " comes from a different "
                        + "sweep: candidate " + r.index() + " has config " + r.configHash() + ", this sweep's is " + expected
                        + " (same space, settings and seed resume; otherwise choose a new output folder)");
            }
        }
    }
}
