package org.erasediff.dl4j.train;

import java.io.IOException;
import java.util.List;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.optim.NanPolicy;
import org.erasediff.core.optim.ParameterSelection;
import org.erasediff.core.optim.UpdaterSettings;
import org.erasediff.dl4j.checkpoint.CheckpointStore;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.listen.RunListener;
import org.erasediff.dl4j.loop.LoopResult;
import org.erasediff.dl4j.loop.LoopSettings;
import org.erasediff.dl4j.loop.RunProvenance;
import org.erasediff.dl4j.loop.TrainingLoop;
import org.nd4j.autodiff.listeners.Listener;

/**
 * Trains a diffusion graph with the DDPM objective on the shared {@link TrainingLoop}: label
 * dropout for classifier-free guidance, antithetic timesteps, Adam with warm-up and cosine decay,
 * global gradient-norm clipping, EMA of the weights (no warm-up: the shipped model's recipe),
 * periodic atomic checkpoints and exact resume (including checkpoints of the first format), a
 * progress line with ETA, and standard SameDiff listeners called with real iteration numbers,
 * batches and losses. A non-finite step is rolled back and retried with the default
 * {@link NanPolicy} (3 retries, halving the learning rate each time), then the run aborts.
 *
 * <p>The user's graph is never modified: the result is a fresh copy of the original graph holding
 * the (EMA) weights.
 */
public final class DdpmTrainer {

    private final DiffusionGraph model;
    private final DdpmTrainingConfig config;
    private final ParameterSelection selection;
    private final CheckpointStore checkpoints;
    private final List<Listener> listeners;
    private final List<RunListener> runListeners;

    /**
     * What a training run produced.
     *
     * @param model       the trained model (EMA weights when the EMA is on)
     * @param lossHistory the loss of every step, restored ones included
     * @param steps       the configured number of steps
     * @param resumedFrom the step this sitting started at
     * @param seconds     wall time of this sitting
     * @param provenance  where the model came from
     */
    public record Result(DiffusionGraph model, float[] lossHistory, int steps, int resumedFrom, double seconds,
                         RunProvenance provenance) {
    }

    /** A trainer without run listeners; see the full constructor. */
    public DdpmTrainer(DiffusionGraph model, DdpmTrainingConfig config, ParameterSelection selection,
                       CheckpointStore checkpoints, List<Listener> listeners) {
        this(model, config, selection, checkpoints, listeners, List.of());
    }

    /**
     * @param model        the graph to train (not modified)
     * @param config       the settings
     * @param selection    which parameters to train
     * @param checkpoints  where to checkpoint and resume from, or {@code null} for none
     * @param listeners    standard SameDiff listeners to call every step
     * @param runListeners the loop's listeners
     * @throws IllegalArgumentException if the schedule's T differs from the graph's
     */
    public DdpmTrainer(DiffusionGraph model, DdpmTrainingConfig config, ParameterSelection selection,
                       CheckpointStore checkpoints, List<Listener> listeners, List<RunListener> runListeners) {
        if (config.schedule().timesteps() != model.spec().numTimesteps()) {
            throw new IllegalArgumentException("the noise schedule has T = " + config.schedule().timesteps()
                    + " but the graph spec says numTimesteps = " + model.spec().numTimesteps());
        }
        this.model = model;
        this.config = config;
        this.selection = selection;
        this.checkpoints = checkpoints;
        this.listeners = List.copyOf(listeners);
        this.runListeners = List.copyOf(runListeners);
    }

    /**
     * Trains on {@code data}, resuming from the latest checkpoint if there is one.
     *
     * @throws IllegalArgumentException if the data does not fit the graph or no parameter is selected
     * @throws org.erasediff.dl4j.loop.TrainingDivergedException if a step stays non-finite after the retries
     */
    public Result train(LabelledImages data) throws IOException {
        LoopSettings settings = new LoopSettings(config.steps(), UpdaterSettings.adam(config.learningRate()),
                new WarmupCosineSchedule(config.learningRate(), config.warmupSteps(), config.steps(),
                        config.finalLrFraction()), config.clipNorm(), config.emaDecay(), false, NanPolicy.defaults(),
                selection, config.seed());
        TrainingLoop.Builder loop = TrainingLoop.builder(model, new DdpmStep(config, data), settings)
                .addSameDiffListeners(listeners).addListeners(runListeners).optProgressInterval(30);
        if (checkpoints != null && config.checkpointEvery() > 0) {
            loop.optCheckpoints(checkpoints, config.checkpointEvery());
        }
        LoopResult r = loop.build().run();
        float[] losses = new float[r.history().size()];
        for (int i = 0; i < losses.length; i++) {
            losses[i] = (float) r.history().get(i).loss();
        }
        return new Result(r.model(), losses, config.steps(), r.startStep(), r.seconds(), r.provenance());
    }
}
