package org.erasediff.samples.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.dl4j.sweep.SweepSummary;
import org.erasediff.samples.examples.SweepLambdaAndLearningRate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep example on the tiny UNet problem (here for its package-private fixture). */
class SweepExampleTest {

    @Test
    void theExampleSweepsThreeCandidatesAndExportsTheBestConfig(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("sweep");
        SweepSummary s = SweepLambdaAndLearningRate.search(new TinyUNetProblem(), 2, 3, results);
        assertEquals(3, s.candidates());
        assertEquals(0, s.failed());
        assertTrue(s.pareto().contains(s.best()), "the best candidate is on the Pareto front");
        EraseDiffConfig best = EraseDiffConfig.fromJson(Files.readString(results.resolve(SweepSummary.BEST_CONFIG)));
        assertEquals(2, best.outerSteps());
        double lambda = ((org.erasediff.core.unlearn.LambdaRule.Fixed) best.lambdaRule()).lambda();
        assertTrue(lambda >= 0.3 && lambda <= 3, "λ from the swept range: " + lambda);
        assertEquals(3, Files.readAllLines(results.resolve("results.jsonl")).size());
    }
}
