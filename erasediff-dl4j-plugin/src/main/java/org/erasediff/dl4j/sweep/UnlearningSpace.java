package org.erasediff.dl4j.sweep;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.arbiter.optimize.api.AbstractParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.distribution.LogUniformDistribution;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;
import org.deeplearning4j.arbiter.util.LeafUtils;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.dl4j.graph.DiffusionGraph;

/**
 * An Arbiter parameter space whose values are {@link CandidateConfig}s: a composite of leaf spaces
 * (log-uniform, integer, choice or fixed), each a field of the subclass. The leaf factories here
 * validate their ranges and name the parameter in their messages, so a bad space fails when it is
 * built, before any candidate runs.
 */
public abstract class UnlearningSpace extends AbstractParameterSpace<CandidateConfig> {

    private final ParameterSpace<Double> learningRate;
    private final ParameterSpace<Integer> steps;

    /** For subclasses: takes the settings every method has from the builder. */
    protected UnlearningSpace(Builder<?> b) {
        learningRate = b.learningRate;
        steps = b.steps;
    }

    /** The candidate's learning rate. */
    protected double learningRate(double[] values) {
        return learningRate.getValue(values);
    }

    /** The candidate's number of (outer) steps. */
    protected int steps(double[] values) {
        return steps.getValue(values);
    }

    /**
     * Checks the space against the base model and the deletion request before any candidate runs
     * (e.g. that every pseudo-label target names a class of the model).
     *
     * @throws IllegalArgumentException naming the parameter that does not fit
     */
    public abstract void validateFor(DiffusionGraph model, ForgetRemainSplit split);

    @Override
    public int numParameters() {
        return LeafUtils.countUniqueParameters(collectLeaves());
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"}) // Arbiter's interface is raw
    public List<ParameterSpace> collectLeaves() {
        List<ParameterSpace> leaves = new ArrayList<>();
        for (ParameterSpace p : getNestedSpaces().values()) {
            leaves.addAll(p.collectLeaves());
        }
        return leaves;
    }

    @Override
    public boolean isLeaf() {
        return false;
    }

    @Override
    public void setIndices(int... indices) {
        throw new UnsupportedOperationException("an UnlearningSpace is not a leaf: its leaves get the indices");
    }

    /**
     * A log-uniform range {@code [min, max]} (a fixed value when {@code min == max}).
     *
     * @param name the parameter's name, for messages
     * @throws IllegalArgumentException if a bound is not finite, {@code min <= 0}, or the range is empty
     */
    protected static ParameterSpace<Double> logUniform(String name, double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException(name + ": bounds must be finite, were [" + min + ", " + max + "]");
        }
        if (min > max) {
            throw new IllegalArgumentException(name + ": the range [" + min + ", " + max + "] is empty (min > max)");
        }
        if (min < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + min);
        }
        if (min == max) {
            return new FixedValue<>(min);
        }
        if (min == 0) {
            throw new IllegalArgumentException(name + ": a log-uniform range needs min > 0, was [0, " + max + "]");
        }
        return new ContinuousParameterSpace(new LogUniformDistribution(min, max));
    }

    /**
     * As {@link #logUniform} for a setting that must be {@code > 0} (a learning rate, a step size).
     *
     * @throws IllegalArgumentException if {@code min <= 0} or the range is invalid
     */
    protected static ParameterSpace<Double> positiveLogUniform(String name, double min, double max) {
        if (!(min > 0)) {
            throw new IllegalArgumentException(name + " must be > 0, was " + min);
        }
        return logUniform(name, min, max);
    }

    /**
     * An integer range {@code [min, max]}, uniform (a fixed value when {@code min == max}).
     *
     * @param name   the parameter's name, for messages
     * @param lowest the smallest allowed value
     * @throws IllegalArgumentException if {@code min < lowest} or the range is empty
     */
    protected static ParameterSpace<Integer> integers(String name, int min, int max, int lowest) {
        if (min > max) {
            throw new IllegalArgumentException(name + ": the range [" + min + ", " + max + "] is empty (min > max)");
        }
        if (min < lowest) {
            throw new IllegalArgumentException(name + " must be >= " + lowest + ", was " + min);
        }
        return min == max ? new FixedValue<>(min) : new IntegerParameterSpace(min, max);
    }

    /**
     * One of the given values, each equally likely (a fixed value when there is one).
     *
     * @param name the parameter's name, for messages
     * @throws IllegalArgumentException if there is no value or one is null
     */
    protected static <T> ParameterSpace<T> choice(String name, List<T> values) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(name + ": no value to choose from (empty list)");
        }
        if (values.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException(name + ": values must not be null, were " + values);
        }
        return values.size() == 1 ? new FixedValue<>(values.get(0)) : new DiscreteParameterSpace<>(values);
    }

    /**
     * The settings every method's space sweeps: the learning rate and the number of steps, fixed
     * at the base config's values unless set.
     *
     * @param <B> the concrete builder
     */
    public abstract static class Builder<B extends Builder<B>> {
        private ParameterSpace<Double> learningRate;
        private ParameterSpace<Integer> steps;

        /**
         * @param learningRate the base config's learning rate
         * @param steps        the base config's steps
         */
        protected Builder(double learningRate, int steps) {
            this.learningRate = logUniform("learningRate", learningRate, learningRate);
            this.steps = integers("steps", steps, steps, 1);
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** The learning rate, log-uniform in {@code [min, max]}, {@code min > 0}; min = max fixes it. */
        public B optLearningRate(double min, double max) {
            learningRate = positiveLogUniform("learningRate", min, max);
            return self();
        }

        /** Steps (EraseDiff's outer steps) uniform in {@code [min, max]}, {@code min >= 1}. */
        public B optSteps(int min, int max) {
            steps = integers("steps", min, max, 1);
            return self();
        }
    }
}
