package org.erasediff.samples.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.api.java.JavaSparkContext;
import org.erasediff.dl4j.sweep.SweepPlan;
import org.erasediff.dl4j.sweep.SweepProblem;
import org.erasediff.dl4j.sweep.SweepRecord;
import org.erasediff.dl4j.sweep.SweepResults;
import org.erasediff.dl4j.sweep.SweepSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a sweep's candidates on Spark: the same {@link SweepPlan} (Arbiter's random or grid
 * candidates) and the same results folder as the local runner, so either can resume what the other
 * started. The driver checks the space against the model and data, skips the candidates already in
 * the results, and submits each other one as a single-task Spark job — as many at a time as the
 * cluster has task slots ({@code defaultParallelism / spark.task.cpus}). Each finished candidate's
 * record is appended to the results by the driver as its job ends; a task lost or failed is retried
 * by Spark ({@code spark.task.maxFailures}); no candidate starts after the time budget.
 *
 * <p>For one candidate at a time per executor with all its cores, set {@code spark.task.cpus} to the
 * executor's cores: the task uses that many ND4J threads.
 */
public final class SparkSweepRunner {

    private static final Logger LOG = LoggerFactory.getLogger(SparkSweepRunner.class);

    private final JavaSparkContext spark;

    /** @param spark the Spark context (owned by the caller) */
    public SparkSweepRunner(JavaSparkContext spark) {
        this.spark = spark;
    }

    /**
     * Runs the plan's unfinished candidates, then summarises and exports the best config.
     *
     * @throws IllegalArgumentException if the results hold another sweep's candidates, or the space does
     *                                  not fit the model or data (before any task)
     * @throws IOException              if the problem or results cannot be read or written
     */
    public SweepSummary run(SweepPlan plan, SweepProblem problem, Path output) throws IOException {
        SweepResults results = SweepResults.open(output);
        plan.checkAgainst(results);
        plan.space().validateFor(problem.baseModel(), problem.split());
        results.completeInterruptedWrite();
        plan.writeDescription(output);
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            if (results.finished(i).isEmpty()) {
                pending.add(i);
            }
        }
        int slots = Math.max(1, spark.defaultParallelism() / spark.getConf().getInt("spark.task.cpus", 1));
        long deadline = plan.settings().maxSeconds() > 0
                ? System.currentTimeMillis() + 1000 * plan.settings().maxSeconds() : Long.MAX_VALUE;
        LOG.info("sweep on Spark: {} of {} candidate(s) to run, {} at a time", pending.size(), plan.size(), slots);
        CandidateTask task = new CandidateTask(problem, plan.settings().objective());
        ExecutorService jobs = Executors.newFixedThreadPool(slots);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i : pending) {
                running.add(jobs.submit(() -> {
                    if (System.currentTimeMillis() >= deadline) {
                        return null; // the time budget is spent: this candidate does not start
                    }
                    spark.setJobDescription("erasediff sweep candidate " + i);
                    SweepRecord r = spark.parallelize(List.of(new CandidateTask.Input(i, plan.candidates().get(i))), 1)
                            .map(task).collect().get(0);
                    results.append(r);
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while candidates were running", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("a candidate's Spark job failed: " + c.getMessage(), c);
        } finally {
            jobs.shutdownNow();
        }
        return plan.summarise(results);
    }
}
