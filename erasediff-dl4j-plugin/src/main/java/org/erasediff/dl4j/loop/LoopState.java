package org.erasediff.dl4j.loop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.erasediff.core.data.BatchIterator;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.optim.ExponentialMovingAverage;
import org.erasediff.core.optim.GradientVectors;
import org.erasediff.core.util.RngPurpose;
import org.erasediff.core.util.RngStreams;
import org.erasediff.dl4j.engine.GradientEngine;
import org.erasediff.dl4j.engine.ParameterUpdater;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The state of one run that a {@link StepAlgorithm} works on: the working graph and its gradient
 * engine, the trainable parameters and their gradient buffers, the updater, the seed streams, the
 * registered batch streams and the method's own scalars. The loop snapshots and restores all of
 * it around a step (rollback) and writes it into checkpoints (resume); the EMA and the step scale
 * are the loop's own. Not thread-safe.
 */
public final class LoopState {

    private final DiffusionGraph working;
    private final GradientEngine engine;
    private final ParameterUpdater updater;
    private final ExponentialMovingAverage ema;
    private final RngStreams rng;
    private final Map<String, BatchIterator> streams = new LinkedHashMap<>();
    private final Map<String, Double> scalars = new LinkedHashMap<>();
    private double stepScale = 1.0;

    LoopState(DiffusionGraph working, GradientEngine engine, ParameterUpdater updater, ExponentialMovingAverage ema,
              RngStreams rng) {
        this.working = working;
        this.engine = engine;
        this.updater = updater;
        this.ema = ema;
        this.rng = rng;
    }

    /** The private working copy of the model (with the weighted denoising loss); its parameters are live. */
    public DiffusionGraph working() {
        return working;
    }

    /** The gradient engine over the trainable parameters. */
    public GradientEngine engine() {
        return engine;
    }

    /** The trainable parameters (live arrays of the working graph), in engine order. */
    public List<INDArray> parameters() {
        return engine.parameters();
    }

    /** The gradient buffers, paired with {@link #parameters()}; the step leaves its direction here. */
    public List<INDArray> gradients() {
        return engine.gradients();
    }

    /** The run's updater (shared by every update of the run, inner loops included when a method wants). */
    public ParameterUpdater updater() {
        return updater;
    }

    /** The run's seed streams. */
    public RngStreams rng() {
        return rng;
    }

    /** The learning-rate factor after NaN back-offs (1 normally); methods scale their own step sizes by it. */
    public double stepScale() {
        return stepScale;
    }

    /**
     * Registers an endless seeded batch stream whose position the loop rolls back and checkpoints.
     *
     * @param name      unique name, e.g. {@code "remain"}
     * @param data      the images
     * @param batchSize images per batch
     * @param purpose   the seed purpose of its shuffling
     * @return the stream
     * @throws IllegalArgumentException if the name is taken or the data is empty
     */
    public BatchIterator addStream(String name, LabelledImages data, int batchSize, RngPurpose purpose) {
        if (streams.containsKey(name)) {
            throw new IllegalArgumentException("batch stream '" + name + "' is already registered");
        }
        BatchIterator it = new BatchIterator(data, batchSize, rng.seed(purpose, 0));
        streams.put(name, it);
        return it;
    }

    /** A method scalar (e.g. a round's constant), or {@code ifAbsent}. */
    public double scalar(String name, double ifAbsent) {
        return scalars.getOrDefault(name, ifAbsent);
    }

    /** Sets a method scalar; it is rolled back and checkpointed with the rest of the state. */
    public void setScalar(String name, double value) {
        scalars.put(name, value);
    }

    ExponentialMovingAverage ema() {
        return ema;
    }

    Map<String, BatchIterator> streams() {
        return Collections.unmodifiableMap(streams);
    }

    Map<String, Double> scalars() {
        return scalars;
    }

    void setStepScale(double s) {
        stepScale = s;
        updater.setStepScale(s);
    }

    /** The weights the run returns: the EMA average when on, else the live parameters. */
    List<INDArray> returnedWeights() {
        return ema != null ? ema.shadow() : parameters();
    }

    /** Preallocated copies of everything a step may change, for rolling back. */
    final class Snapshot {
        private final List<INDArray> params = GradientVectors.allocateLike(parameters());
        private final List<INDArray> updaterState = new ArrayList<>();
        private final Map<String, Long> positions = new LinkedHashMap<>();
        private final Map<String, Double> savedScalars = new LinkedHashMap<>();
        private int iteration;

        Snapshot() {
            for (INDArray s : updater.state()) {
                updaterState.add(s == null ? null : s.dup());
            }
        }

        void take() {
            GradientVectors.copyInto(parameters(), params);
            copyState(updater.state(), updaterState);
            iteration = updater.iteration();
            positions.clear();
            streams.forEach((n, it) -> positions.put(n, it.batchesDrawn()));
            savedScalars.clear();
            savedScalars.putAll(scalars);
        }

        void restore() {
            GradientVectors.copyInto(params, parameters());
            copyState(updaterState, updater.state());
            updater.setIteration(iteration);
            positions.forEach((n, p) -> streams.get(n).seek(p));
            scalars.clear();
            scalars.putAll(savedScalars);
        }

        private static void copyState(List<INDArray> from, List<INDArray> to) {
            for (int i = 0; i < from.size(); i++) {
                if (from.get(i) != null) {
                    to.get(i).assign(from.get(i));
                }
            }
        }
    }
}
