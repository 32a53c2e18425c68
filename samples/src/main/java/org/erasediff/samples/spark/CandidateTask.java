package org.erasediff.samples.spark;

import java.io.Serializable;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.erasediff.dl4j.sweep.CandidateConfig;
import org.erasediff.dl4j.sweep.CandidateRunner;
import org.erasediff.dl4j.sweep.ForgetRemainDataSource;
import org.erasediff.dl4j.sweep.SweepObjective;
import org.erasediff.dl4j.sweep.SweepProblem;
import org.erasediff.dl4j.sweep.SweepRecord;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Spark task of one candidate: on the executor, sets ND4J's threads to the task's cores, takes
 * an idle {@link CandidateRunner} for the problem (the model, data and scorer are built once per
 * executor and concurrent task, then reused by its later tasks) and runs the candidate; returns its
 * record to the driver. An exception fails the task, which Spark retries.
 */
final class CandidateTask implements Function<CandidateTask.Input, SweepRecord> {

    private static final long serialVersionUID = 1L;

    /**
     * One candidate to run.
     *
     * @param index     its index in the sweep
     * @param candidate its config
     */
    record Input(int index, CandidateConfig candidate) implements Serializable {
    }

    /** Runners not in use, per problem and objective, in this executor's JVM (one task uses one at a time). */
    private static final Map<String, Queue<CandidateRunner>> IDLE = new ConcurrentHashMap<>();

    private final SweepProblem problem;
    private final SweepObjective objective;

    CandidateTask(SweepProblem problem, SweepObjective objective) {
        this.problem = problem;
        this.objective = objective;
    }

    @Override
    public SweepRecord call(Input in) throws Exception {
        TaskContext task = TaskContext.get();
        int threads = task == null ? 1 : Math.max(1, task.cpus());
        // both limits: the environment's alone leaves BLAS at its default
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        Queue<CandidateRunner> idle = IDLE.computeIfAbsent(
                ForgetRemainDataSource.properties(problem).getProperty(ForgetRemainDataSource.PROBLEM) + objective,
                k -> new ConcurrentLinkedQueue<>());
        CandidateRunner runner = idle.poll();
        if (runner == null) {
            runner = CandidateRunner.open(problem, objective);
        }
        try {
            return runner.run(in.index(), in.candidate());
        } finally {
            idle.add(runner);
        }
    }
}
