package org.erasediff.dl4j.engine;

import java.util.ArrayList;
import java.util.List;
import org.erasediff.core.optim.UpdaterSettings;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Applies an ND4J updater (Adam or SGD) by hand to a list of parameters: the gradient buffers
 * are turned into updates in place and subtracted from the parameters. The updater state lives in
 * arrays owned by this object, so it can be checkpointed, restored, or kept apart from another
 * optimiser's (the faithful EraseDiff inner loop never touches the outer optimiser's state).
 * It counts its own updates ({@link #iteration()}): the count drives Adam's bias correction and
 * the learning-rate schedule and is part of the state to checkpoint and roll back.
 */
public final class ParameterUpdater {

    private final IUpdater baseConfig;
    private IUpdater config;
    private final List<GradientUpdater<?>> updaters = new ArrayList<>();
    private final List<INDArray> state = new ArrayList<>();
    private int iteration;

    /**
     * @param settings  updater type and hyper-parameters
     * @param schedule  learning-rate schedule, or {@code null} for the constant rate in {@code settings}
     * @param params    the parameters (their lengths size the state)
     */
    public ParameterUpdater(UpdaterSettings settings, ISchedule schedule, List<INDArray> params) {
        this.baseConfig = toIUpdater(settings, schedule);
        this.config = baseConfig;
        for (INDArray p : params) {
            long size = config.stateSize(p.length());
            INDArray view = size == 0 ? null : Nd4j.zeros(p.dataType(), 1, size);
            state.add(view);
            updaters.add(config.instantiate(view, true));
        }
    }

    /** The ND4J updater configuration for the given settings. */
    public static IUpdater toIUpdater(UpdaterSettings s, ISchedule schedule) {
        return switch (s.type()) {
            case ADAM -> schedule == null
                    ? new Adam(s.learningRate(), s.beta1(), s.beta2(), s.epsilon())
                    : Adam.builder().learningRateSchedule(schedule).beta1(s.beta1()).beta2(s.beta2())
                            .epsilon(s.epsilon()).build();
            case SGD -> schedule == null ? new Sgd(s.learningRate()) : new Sgd(schedule);
        };
    }

    /**
     * One update: {@code grads} become the updates (in place) and are subtracted from {@code params};
     * the update count then advances by one.
     *
     * @param grads  gradients, same order and shapes as the constructor's parameters; overwritten
     * @param params the parameters, updated in place
     */
    public void apply(List<INDArray> grads, List<INDArray> params) {
        for (int i = 0; i < updaters.size(); i++) {
            INDArray g = grads.get(i);
            updaters.get(i).applyUpdater(g, iteration, 0);
            params.get(i).subi(g);
        }
        iteration++;
    }

    /** The number of updates applied so far (the next update's iteration number). */
    public int iteration() {
        return iteration;
    }

    /**
     * Sets the update count, e.g. when resuming or rolling back.
     *
     * @param n updates so far, {@code >= 0}
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public void setIteration(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("iteration must be >= 0, was " + n);
        }
        iteration = n;
    }

    /**
     * Multiplies the learning rate (and its schedule) of the constructor's settings by {@code scale},
     * keeping the updater state; used to lower the step size after a rollback.
     */
    public void setStepScale(double scale) {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("step scale must be > 0, was " + scale);
        }
        IUpdater scaled = baseConfig.clone();
        ISchedule base = baseConfig instanceof Adam a ? a.getLearningRateSchedule()
                : baseConfig instanceof Sgd s ? s.getLearningRateSchedule() : null;
        double lr = baseConfig.getLearningRate(0, 0);
        scaled.setLrAndSchedule(lr * scale, base == null ? null : new ScaledSchedule(base, scale));
        config = scaled;
        for (int i = 0; i < updaters.size(); i++) {
            updaters.set(i, config.instantiate(state.get(i), false));
        }
    }

    /** A schedule multiplied by a constant. */
    private record ScaledSchedule(ISchedule base, double scale) implements ISchedule {
        @Override
        public double valueAt(int iteration, int epoch) {
            return base.valueAt(iteration, epoch) * scale;
        }

        @Override
        public ISchedule clone() {
            return new ScaledSchedule(base.clone(), scale);
        }
    }

    /** The learning rate the next update uses. */
    public double learningRate() {
        return config.getLearningRate(iteration, 0);
    }

    /** The state arrays (null entries for stateless updaters), owned here; for checkpoints. */
    public List<INDArray> state() {
        return state;
    }

    /** Overwrites the state with saved arrays of the same shapes. */
    public void loadState(List<INDArray> saved) {
        if (saved.size() != state.size()) {
            throw new IllegalArgumentException("saved updater state has " + saved.size() + " arrays, expected "
                    + state.size());
        }
        for (int i = 0; i < state.size(); i++) {
            if (state.get(i) != null) {
                if (saved.get(i) == null || saved.get(i).length() != state.get(i).length()) {
                    throw new IllegalArgumentException("saved updater state " + i + " does not match the parameter");
                }
                state.get(i).assign(saved.get(i).reshape(state.get(i).shape()));
            }
        }
    }
}
