package org.erasediff.dl4j.sweep;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;

/**
 * Arbiter's task creator for SameDiff unlearning candidates (Arbiter ships none for SameDiff): each
 * task takes a {@link CandidateConfig} from the candidate, unlearns a copy of the base graph of the
 * {@link ForgetRemainDataSource}'s problem with it ({@link CandidateRunner}), scores it, and appends
 * the record to the {@link SweepResults} as soon as it finishes. A candidate already in the results
 * is not run again: its stored record is returned.
 *
 * <p>Arbiter counts an exception in a task as a failed candidate and carries on; so that errors of
 * the sweep itself (unreadable files, a scorer that breaks) are not lost, the first one is kept in
 * {@link #firstError()} for the runner to raise.
 */
public final class UnlearningTaskCreator implements TaskCreator {

    private final SweepResults results;
    private final SweepObjective objective;
    private final Map<Properties, CandidateRunner> runners = new HashMap<>();
    private final AtomicReference<Exception> firstError = new AtomicReference<>();

    /**
     * @param results   where finished candidates are stored and looked up
     * @param objective the scalarised score
     */
    public UnlearningTaskCreator(SweepResults results, SweepObjective objective) {
        this.results = results;
        this.objective = objective;
    }

    /**
     * The candidate runner for a data source: builds its problem's model, data and scorer once.
     *
     * @throws IllegalArgumentException if the data source is not a {@link ForgetRemainDataSource}
     * @throws IOException              if the problem cannot be read
     */
    public synchronized CandidateRunner prepare(Class<? extends DataSource> dataSource, Properties properties)
            throws IOException {
        CandidateRunner r = runners.get(properties);
        if (r == null) {
            DataSource d;
            try {
                d = dataSource.getConstructor().newInstance();
            } catch (NoSuchMethodException | InstantiationException | IllegalAccessException
                     | InvocationTargetException e) {
                throw new IllegalArgumentException("data source " + dataSource.getName() + " cannot be created: "
                        + e.getMessage(), e);
            }
            if (!(d instanceof ForgetRemainDataSource f)) {
                throw new IllegalArgumentException("unlearning candidates need a ForgetRemainDataSource, found "
                        + dataSource.getName());
            }
            f.configure(properties);
            SweepProblem p = f.problem();
            r = new CandidateRunner(p.baseModel(), f.trainData(), p.schedule(), p.scorer(), objective);
            Properties key = new Properties();
            key.putAll(properties);
            runners.put(key, r);
        }
        return r;
    }

    /** The first error a task raised that was not a failure of its candidate, if any. */
    public Exception firstError() {
        return firstError.get();
    }

    /** Not supported: unlearning candidates read their data from a {@link ForgetRemainDataSource}. */
    @Override
    @SuppressWarnings({"deprecation", "rawtypes"}) // Arbiter's deprecated, raw overload
    public Callable<OptimizationResult> create(Candidate candidate, DataProvider dataProvider,
                                               ScoreFunction scoreFunction, List<StatusListener> statusListeners,
                                               IOptimizationRunner runner) {
        throw new UnsupportedOperationException("use OptimizationConfiguration.Builder.dataSource("
                + "ForgetRemainDataSource.class, ForgetRemainDataSource.properties(problem))");
    }

    @Override
    @SuppressWarnings("rawtypes") // Arbiter's interface is raw
    public Callable<OptimizationResult> create(Candidate candidate, Class<? extends DataSource> dataSource,
                                               Properties dataSourceProperties, ScoreFunction scoreFunction,
                                               List<StatusListener> statusListeners, IOptimizationRunner runner) {
        return () -> {
            long start = System.currentTimeMillis();
            int index = candidate.getIndex();
            try {
                SweepRecord rec = results.finished(index).orElse(null);
                if (rec == null) {
                    rec = prepare(dataSource, dataSourceProperties).run(index, (CandidateConfig) candidate.getValue());
                    results.append(rec);
                }
                Double score = rec.isOk() ? scoreFunction.score(rec, dataSource, dataSourceProperties) : null;
                CandidateInfo info = new CandidateInfo(index, rec.isOk() ? CandidateStatus.Complete
                        : CandidateStatus.Failed, score, start, start, System.currentTimeMillis(),
                        candidate.getFlatParameters(), rec.error());
                return new OptimizationResult(candidate, score, index, rec, info, null);
            } catch (Exception e) {
                firstError.compareAndSet(null, e);
                throw e;
            }
        };
    }
}
