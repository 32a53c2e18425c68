package org.erasediff.samples.examples;

import java.io.File;
import java.io.IOException;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.unlearn.EraseDiffUnlearner;
import org.erasediff.dl4j.unlearn.UnlearningResult;
import org.nd4j.autodiff.listeners.checkpoint.CheckpointListener;
import org.nd4j.autodiff.listeners.impl.ScoreListener;
import org.nd4j.autodiff.listeners.impl.UIListener;

/**
 * Attaches SameDiff's standard listeners to an unlearning run, as to {@code SameDiff.fit}: they
 * see every EraseDiff step with its real iteration number and loss. {@code ScoreListener} logs
 * the loss, {@code CheckpointListener} saves the graph every few steps, and {@code UIListener}
 * writes a stats file (graph structure and the loss per step) for the SameDiff page of DL4J's
 * training UI ({@code deeplearning4j-ui}); writing it needs no network.
 */
public final class WithSameDiffListeners {

    private WithSameDiffListeners() {
    }

    /**
     * @param model       the trained model (not modified)
     * @param split       what to forget and what to keep
     * @param steps       EraseDiff steps
     * @param checkpoints folder for the checkpoint listener's graphs (created if missing)
     * @param uiStats     the UI listener's stats file (must not exist yet)
     * @return the unlearned model with its per-step history and provenance
     */
    public static UnlearningResult unlearn(DiffusionGraph model, ForgetRemainSplit split, int steps, File checkpoints,
                                           File uiStats) throws IOException {
        if (!checkpoints.isDirectory() && !checkpoints.mkdirs()) {
            throw new IOException("cannot create the checkpoint folder " + checkpoints);
        }
        ScoreListener score = new ScoreListener(10, true);
        CheckpointListener checkpoint = new CheckpointListener.Builder(checkpoints)
                .saveEveryNIterations(5)
                .keepLast(2)
                .build();
        UIListener ui = UIListener.builder(uiStats)
                .plotLosses(1)
                .build();
        EraseDiffConfig config = EraseDiffConfig.builder().optOuterSteps(steps).build();
        return EraseDiffUnlearner.builder(config)
                .addSameDiffListeners(score, checkpoint, ui)
                .build()
                .unlearn(model, split);
    }
}
