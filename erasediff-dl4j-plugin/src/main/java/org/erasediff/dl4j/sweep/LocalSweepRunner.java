package org.erasediff.dl4j.sweep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxTimeCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a sweep on this machine with Arbiter's {@link LocalOptimizationRunner}, one candidate at a
 * time: the {@link SweepPlan}'s candidates (random or grid search, seeded), each unlearned on a copy
 * of the base model by the {@link UnlearningTaskCreator} and stored in the output folder's
 * {@link SweepResults} as it finishes; candidates already there are not run again, so a stopped
 * sweep picks up where it stopped. Stops at the candidate budget, or when the time budget is spent
 * (no candidate starts after it). Afterwards the best config is exported
 * ({@link SweepSummary#BEST_CONFIG}).
 */
public final class LocalSweepRunner {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSweepRunner.class);

    private final SweepPlan plan;
    private final SweepProblem problem;
    private final Path output;
    private final List<StatusListener> listeners;

    private LocalSweepRunner(Builder b) {
        plan = new SweepPlan(b.space, b.settings);
        problem = b.problem;
        output = b.output;
        listeners = List.copyOf(b.listeners);
    }

    /**
     * Starts a builder.
     *
     * @param space    the candidates' space
     * @param problem  base model, data and scorer
     * @param settings search, budgets, seed, objective
     * @param output   the results folder (created; an existing one is resumed)
     */
    public static Builder builder(UnlearningSpace space, SweepProblem problem, SweepSettings settings, Path output) {
        return new Builder(space, problem, settings, output);
    }

    /** The candidate sequence. */
    public SweepPlan plan() {
        return plan;
    }

    /**
     * Runs the candidates not yet in the results, then summarises and exports the best config.
     *
     * @return the summary over the plan's finished candidates
     * @throws IllegalArgumentException if the results folder holds another sweep's candidates, or the
     *                                  space does not fit the model or data (before any candidate runs)
     * @throws IOException              if the problem or the results cannot be read or written
     */
    public SweepSummary run() throws IOException {
        SweepResults results = SweepResults.open(output);
        plan.checkAgainst(results);
        SweepObjective objective = plan.settings().objective();
        Properties props = ForgetRemainDataSource.properties(problem);
        UnlearningTaskCreator tasks = new UnlearningTaskCreator(results, objective);
        CandidateRunner runner = tasks.prepare(ForgetRemainDataSource.class, props);
        plan.space().validateFor(runner.base(), runner.split());
        results.completeInterruptedWrite();
        plan.writeDescription(output);

        List<TerminationCondition> stop = new ArrayList<>();
        stop.add(new MaxCandidatesCondition(plan.size()));
        if (plan.settings().maxSeconds() > 0) {
            stop.add(new MaxTimeCondition(plan.settings().maxSeconds(), TimeUnit.SECONDS));
        }
        stop.add(new StopOnError(tasks));
        OptimizationConfiguration config = new OptimizationConfiguration.Builder()
                .candidateGenerator(plan.generator())
                .dataSource(ForgetRemainDataSource.class, props)
                .scoreFunction(new UnlearningScoreFunction(objective))
                .terminationConditions(stop)
                .build();
        LocalOptimizationRunner arbiter = new LocalOptimizationRunner(config, tasks);
        arbiter.addListeners(listeners.toArray(new StatusListener[0]));
        int before = results.records().size();
        arbiter.execute();
        if (tasks.firstError() != null) {
            Exception e = tasks.firstError();
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("the sweep stopped: " + e.getMessage(), e);
        }
        SweepSummary summary = plan.summarise(results);
        LOG.info("sweep: {} candidate(s) ran in this sitting, {} of {} finished", results.records().size() - before,
                summary.candidates(), plan.size());
        return summary;
    }

    /** Ends the Arbiter run at the first error of the sweep itself. */
    private record StopOnError(UnlearningTaskCreator tasks) implements TerminationCondition {
        @Override
        public void initialize(IOptimizationRunner runner) {
        }

        @Override
        public boolean terminate(IOptimizationRunner runner) {
            return tasks.firstError() != null;
        }
    }

    /** Builder: space, problem, settings and folder required; Arbiter status listeners optional. */
    public static final class Builder {
        private final UnlearningSpace space;
        private final SweepProblem problem;
        private final SweepSettings settings;
        private final Path output;
        private final List<StatusListener> listeners = new ArrayList<>();

        private Builder(UnlearningSpace space, SweepProblem problem, SweepSettings settings, Path output) {
            this.space = Objects.requireNonNull(space, "space");
            this.problem = Objects.requireNonNull(problem, "problem");
            this.settings = Objects.requireNonNull(settings, "settings");
            this.output = Objects.requireNonNull(output, "output");
        }

        /** Adds Arbiter status listeners (e.g. {@code LoggingStatusListener}), told of every candidate. */
        public Builder addStatusListeners(StatusListener... l) {
            listeners.addAll(List.of(l));
            return this;
        }

        /**
         * Builds the runner; draws the candidate sequence.
         *
         * @throws IllegalArgumentException if the space gives an invalid candidate
         */
        public LocalSweepRunner build() {
            return new LocalSweepRunner(this);
        }
    }
}
