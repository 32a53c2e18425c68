package org.erasediff.dl4j.sweep;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.loop.TrainingDivergedException;
import org.erasediff.dl4j.unlearn.UnlearningResult;
import org.nd4j.linalg.api.buffer.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one candidate: unlearns a copy of the base graph (the base is never touched) with the
 * candidate's config and scores the result through the {@link SweepScorer}. Used by every runner
 * (locally through Arbiter, on a cluster inside each task). One candidate at a time.
 */
public final class CandidateRunner {

    private static final Logger LOG = LoggerFactory.getLogger(CandidateRunner.class);

    private final DiffusionGraph base;
    private final ForgetRemainSplit split;
    private final ScheduleConfig schedule;
    private final SweepScorer scorer;
    private final SweepObjective objective;

    /**
     * @param base      the base model (read, never modified)
     * @param split     the deletion request
     * @param schedule  the base model's noise schedule
     * @param scorer    scores each unlearned model
     * @param objective the scalarised score
     */
    public CandidateRunner(DiffusionGraph base, ForgetRemainSplit split, ScheduleConfig schedule, SweepScorer scorer,
                           SweepObjective objective) {
        this.base = base;
        this.split = split;
        this.schedule = schedule;
        this.scorer = scorer;
        this.objective = objective;
    }

    /**
     * Builds the problem's model, data and scorer.
     *
     * @throws IOException if they cannot be read
     */
    public static CandidateRunner open(SweepProblem problem, SweepObjective objective) throws IOException {
        return new CandidateRunner(problem.baseModel(), problem.split(), problem.schedule(), problem.scorer(),
                objective);
    }

    /** The base model. */
    public DiffusionGraph base() {
        return base;
    }

    /** The deletion request. */
    public ForgetRemainSplit split() {
        return split;
    }

    /**
     * Unlearns and scores one candidate. A run that diverges, whose config does not fit the data or
     * whose figures are not finite gives a failed record; other errors propagate.
     *
     * @param index the candidate's index in the sweep
     * @param c     the candidate
     * @return its record
     * @throws IOException if scoring needs files that cannot be read or written
     */
    public SweepRecord run(int index, CandidateConfig c) throws IOException {
        long t0 = System.nanoTime();
        DiffusionGraph copy = base.rewrap(base.sameDiff().dup());
        UnlearningResult r;
        try {
            r = c.unlearner(schedule).unlearn(copy, split);
        } catch (TrainingDivergedException | IllegalArgumentException e) {
            LOG.warn("candidate {} failed: {}", index, e.getMessage());
            return SweepRecord.failed(index, c, e.getMessage(), seconds(t0));
        }
        Map<String, Double> metrics = scorer.score(r.model(), weightsId(r.model()));
        r.model().releasePredictionMemory();
        if (!objective.isScorable(metrics)) {
            LOG.warn("candidate {} failed: its figures are not finite: {}", index, metrics);
            return SweepRecord.failed(index, c, "figures not finite: " + metrics, seconds(t0));
        }
        double score = objective.scalarise(metrics);
        LOG.info("candidate {} ({} {}): objective {} in {} s", index, c.method(), c.parameters(), score, seconds(t0));
        return SweepRecord.ok(index, c, metrics, score, seconds(t0));
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** SHA-256 (first 16 hex digits) of a model's parameter names and values: the identity of its weights. */
    static String weightsId(DiffusionGraph model) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String n : DiffusionGraph.parameterNames(model.sameDiff())) {
                d.update(n.getBytes(StandardCharsets.UTF_8));
                float[] v = model.sameDiff().getArrForVarName(n).castTo(DataType.FLOAT).data().asFloat();
                ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(v);
                d.update(b);
            }
            return HexFormat.of().formatHex(d.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
