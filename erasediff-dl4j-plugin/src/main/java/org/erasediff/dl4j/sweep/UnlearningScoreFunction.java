package org.erasediff.dl4j.sweep;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.erasediff.core.data.ForgetRemainSplit;

/**
 * Arbiter's score function for unlearning candidates: the {@link SweepObjective}'s scalarised
 * score of a {@link SweepRecord}'s figures (the figures come from the {@link SweepScorer} when the
 * candidate ran), minimised.
 */
public final class UnlearningScoreFunction implements ScoreFunction {

    private final SweepObjective objective;

    /** @param objective the scalarised score */
    public UnlearningScoreFunction(SweepObjective objective) {
        this.objective = objective;
    }

    /** The objective. */
    public SweepObjective objective() {
        return objective;
    }

    @Override
    @SuppressWarnings("deprecation") // Arbiter's deprecated overload, required by the interface
    public double score(Object model, DataProvider dataProvider, Map<String, Object> dataParameters) {
        return score(model);
    }

    @Override
    public double score(Object model, Class<? extends DataSource> dataSource, Properties dataSourceProperties) {
        return score(model);
    }

    private double score(Object model) {
        if (!(model instanceof SweepRecord r) || !r.isOk()) {
            throw new IllegalArgumentException("expected a scored SweepRecord, found " + model);
        }
        return objective.scalarise(r.metrics());
    }

    @Override
    public boolean minimize() {
        return true;
    }

    @Override
    public List<Class<?>> getSupportedModelTypes() {
        return List.of(SweepRecord.class);
    }

    @Override
    public List<Class<?>> getSupportedDataTypes() {
        return List.of(ForgetRemainSplit.class);
    }
}
