package org.erasediff.samples.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.core.unlearn.ForgetTarget;
import org.erasediff.dl4j.sweep.EraseDiffSpace;
import org.erasediff.dl4j.sweep.LocalSweepRunner;
import org.erasediff.dl4j.sweep.SweepPlan;
import org.erasediff.dl4j.sweep.SweepResults;
import org.erasediff.dl4j.sweep.SweepSettings;
import org.erasediff.dl4j.sweep.SweepSummary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkSweepRunnerTest {

    @TempDir
    Path dir;

    private static JavaSparkContext spark;

    @BeforeAll
    static void start() {
        // local[2, 2]: two task slots, and a failed task is tried twice
        spark = new JavaSparkContext(new SparkConf().setMaster("local[2,2]").setAppName("sweep-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
        spark.setLogLevel("WARN");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static SweepPlan plan() {
        EraseDiffConfig base = EraseDiffConfig.builder().optOuterSteps(2).optRemainBatchSize(8).optForgetBatchSize(6)
                .optSeed(3).optEmaDecay(0).build();
        EraseDiffSpace space = EraseDiffSpace.builder(base).optLambda(0.1, 10).optLearningRate(1e-3, 3e-2)
                .optForgetTargets(ForgetTarget.uniform(), ForgetTarget.randomOtherClass()).build();
        return new SweepPlan(space, SweepSettings.builder(3).optSeed(7).build());
    }

    @Test
    void sparkGivesTheLocalRunnersResultsRetriesALostTaskAndNeverRedoesAFinishedOne() throws IOException {
        TinyUNetProblem problem = new TinyUNetProblem();
        SweepPlan plan = plan();
        SweepSummary local = LocalSweepRunner.builder(plan.space(), problem, plan.settings(), dir.resolve("local"))
                .build().run();

        TinyUNetProblem.FAIL_ONCE.set(true);
        int before = TinyUNetProblem.SCORED.get();
        SweepSummary onSpark = new SparkSweepRunner(spark).run(plan, problem, dir.resolve("spark"));
        assertFalse(TinyUNetProblem.FAIL_ONCE.get(), "one task failed and was retried");
        assertEquals(3, TinyUNetProblem.SCORED.get() - before, "three candidates scored");

        assertEquals(withoutSeconds(dir.resolve("local")), withoutSeconds(dir.resolve("spark")));
        assertEquals(local.best().configHash(), onSpark.best().configHash());
        assertEquals(local.pareto().stream().map(r -> r.index()).toList(),
                onSpark.pareto().stream().map(r -> r.index()).toList());
        assertEquals(Files.readString(dir.resolve("local").resolve(SweepSummary.BEST_CONFIG)),
                Files.readString(dir.resolve("spark").resolve(SweepSummary.BEST_CONFIG)));

        before = TinyUNetProblem.SCORED.get();
        new SparkSweepRunner(spark).run(plan, problem, dir.resolve("spark"));
        assertEquals(before, TinyUNetProblem.SCORED.get(), "finished candidates are not submitted again");
    }

    /** The CSV without its seconds column (wall times differ). */
    private static List<String> withoutSeconds(Path d) throws IOException {
        List<String> lines = Files.readAllLines(d.resolve(SweepResults.CSV));
        int col = List.of(lines.get(0).split(",")).indexOf("seconds");
        return lines.stream().map(l -> {
            List<String> cells = new java.util.ArrayList<>(List.of(l.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1)));
            cells.remove(col);
            return String.join(",", cells);
        }).toList();
    }
}
