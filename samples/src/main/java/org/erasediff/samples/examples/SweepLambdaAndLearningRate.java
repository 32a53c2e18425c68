package org.erasediff.samples.examples;

import java.io.IOException;
import java.nio.file.Path;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.dl4j.sweep.EraseDiffSpace;
import org.erasediff.dl4j.sweep.LocalSweepRunner;
import org.erasediff.dl4j.sweep.SweepObjective;
import org.erasediff.dl4j.sweep.SweepProblem;
import org.erasediff.dl4j.sweep.SweepSettings;
import org.erasediff.dl4j.sweep.SweepSummary;

/**
 * Searches EraseDiff's λ and learning rate for one deletion request with Arbiter: random search,
 * each candidate unlearning a copy of the base model and scored by the problem's scorer; the
 * results folder resumes a stopped search and holds the best candidate's config
 * ({@code best-config.json}, which {@code ./erasediff unlearn --config} accepts as it is).
 */
public final class SweepLambdaAndLearningRate {

    private SweepLambdaAndLearningRate() {
    }

    /**
     * @param problem    the base model, the forget/remain split, its schedule and a scorer
     * @param steps      EraseDiff steps of every candidate
     * @param candidates the candidate budget
     * @param results    the results folder (created; a folder of the same sweep resumes it)
     * @return the best candidate and the Pareto front over (P_forget, remaining FID)
     */
    public static SweepSummary search(SweepProblem problem, int steps, int candidates, Path results)
            throws IOException {
        EraseDiffSpace space = EraseDiffSpace.builder(EraseDiffConfig.builder().optOuterSteps(steps).build())
                .optLambda(0.3, 3)              // log-uniform
                .optLearningRate(5e-4, 5e-3)    // log-uniform
                .build();                       // a bad range fails here, naming the parameter
        SweepSettings settings = SweepSettings.builder(candidates)
                .optSearch(SweepSettings.Search.RANDOM)
                .optSeed(1)                                // the same seed gives the same candidates
                .optObjective(SweepObjective.of(0.01))     // score = P_forget + 0.01 × remaining FID
                .build();
        return LocalSweepRunner.builder(space, problem, settings, results).build().run();
    }
}
