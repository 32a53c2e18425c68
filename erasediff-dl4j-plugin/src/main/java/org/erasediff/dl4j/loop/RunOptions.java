package org.erasediff.dl4j.loop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.erasediff.dl4j.checkpoint.CheckpointStore;
import org.erasediff.dl4j.listen.RunListener;
import org.nd4j.autodiff.listeners.Listener;

/**
 * The options every run takes, whatever its method: checkpoints, run listeners, standard SameDiff
 * listeners, provenance facts and the progress interval. The {@link TrainingLoop}'s builder and
 * every method's builder (EraseDiff, the baselines) extend it, so each option is declared once.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class RunOptions<B extends RunOptions<B>> {

    private CheckpointStore checkpoints;
    private int checkpointEvery;
    private final List<RunListener> listeners = new ArrayList<>();
    private final List<Listener> sameDiffListeners = new ArrayList<>();
    private final Map<String, String> inputs = new LinkedHashMap<>();
    private double progressSeconds = 10;

    /** For subclasses. */
    protected RunOptions() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * Checkpoints to (and resumes from) {@code store} every {@code every} steps, at the last step
     * and when the run stops early (default: no checkpoints).
     *
     * @throws IllegalArgumentException if {@code every <= 0}
     */
    public B optCheckpoints(CheckpointStore store, int every) {
        if (every <= 0) {
            throw new IllegalArgumentException("checkpoint interval must be > 0, was " + every);
        }
        checkpoints = Objects.requireNonNull(store, "store");
        checkpointEvery = every;
        return self();
    }

    /** Adds run listeners, called in the order given. */
    public B addListeners(RunListener... l) {
        return addListeners(Arrays.asList(l));
    }

    /** Adds run listeners, called in the order given. */
    public B addListeners(List<? extends RunListener> l) {
        listeners.addAll(l);
        return self();
    }

    /** Adds standard SameDiff listeners: real iteration numbers, batches and losses. */
    public B addSameDiffListeners(Listener... l) {
        return addSameDiffListeners(Arrays.asList(l));
    }

    /** Adds standard SameDiff listeners: real iteration numbers, batches and losses. */
    public B addSameDiffListeners(List<? extends Listener> l) {
        sameDiffListeners.addAll(l);
        return self();
    }

    /** Records a fact about the inputs (e.g. the model file's SHA-256) in the provenance. */
    public B optProvenance(String key, String value) {
        inputs.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return self();
    }

    /** Seconds between progress lines (default 10; the last step always logs). */
    public B optProgressInterval(double seconds) {
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("progress interval must be >= 0 seconds, was " + seconds);
        }
        progressSeconds = seconds;
        return self();
    }

    /** Takes every option set on {@code other} (its listeners and facts are appended to these). */
    public B optionsFrom(RunOptions<?> other) {
        if (other.checkpoints != null) {
            optCheckpoints(other.checkpoints, other.checkpointEvery);
        }
        listeners.addAll(other.listeners);
        sameDiffListeners.addAll(other.sameDiffListeners);
        inputs.putAll(other.inputs);
        progressSeconds = other.progressSeconds;
        return self();
    }

    CheckpointStore checkpoints() {
        return checkpoints;
    }

    int checkpointEvery() {
        return checkpointEvery;
    }

    List<RunListener> listeners() {
        return List.copyOf(listeners);
    }

    List<Listener> sameDiffListeners() {
        return List.copyOf(sameDiffListeners);
    }

    Map<String, String> inputs() {
        return Map.copyOf(inputs);
    }

    double progressSeconds() {
        return progressSeconds;
    }

    /** A plain holder of options, e.g. for a method that keeps its builder's options until it runs. */
    public static final class Holder extends RunOptions<Holder> {
    }
}
