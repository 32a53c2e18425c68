package org.erasediff.dl4j.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.graph.GradientFunctions;
import org.erasediff.dl4j.memory.PooledOutput;
import org.erasediff.dl4j.memory.StepArrayPool;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.TrainingSession;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * Computes the loss and the gradients of the trainable parameters for one batch, fast.
 *
 * <p>It drives SameDiff's own training step (the {@code TrainingSession} that {@code fit} uses:
 * one gradient function, built once) with a no-op updater and a listener that copies each
 * parameter's gradient into a preallocated buffer and zeroes the update, so the parameters do not
 * move and the caller keeps full control of the update (global clipping, λ rules, any updater).
 * The session is the engine's own and allocates through a {@link StepArrayPool}, so the arrays of
 * one step are recycled by the next instead of being allocated afresh (see the benchmark command).
 *
 * <p>Parameters that are not trainable are turned into constants of the (copied) graph, so their
 * gradients are never computed and they provably cannot change. Not thread-safe.
 */
public final class GradientEngine implements AutoCloseable {

    private final DiffusionGraph graph;
    private final SameDiff sd;
    private final List<String> names;
    private final List<INDArray> params;
    private final List<INDArray> grads;
    private final Map<String, INDArray> gradByName = new HashMap<>();
    private final List<String> featureOrder;
    private final CaptureListener capture = new CaptureListener();
    private final Map<String, INDArray> feed = new LinkedHashMap<>();
    private final TrainingConfig config;
    private final StepArrayPool pool;
    private final StepSession session;
    private final Set<String> paramsToTrain;
    private final Map<String, GradientUpdater> updaters = new HashMap<>();
    private final List<String> lossVariables;
    private final List<Listener> listeners = new ArrayList<>();
    private int iteration;
    private boolean closed;

    /** An engine whose steps recycle arrays within and across steps ({@link StepArrayPool.Reuse#WITHIN_STEP}). */
    public GradientEngine(DiffusionGraph graph, List<String> trainable) {
        this(graph, trainable, StepArrayPool.Reuse.WITHIN_STEP);
    }

    /**
     * @param graph     a graph whose SameDiff instance already has the {@link WeightedDenoisingLoss}
     *                  (a private copy: frozen parameters are converted to constants in it)
     * @param trainable names of the parameters to train, in the order used for gradient lists
     * @param reuse     how the step's arrays are recycled ({@link StepArrayPool.Reuse#NONE}: fresh arrays
     *                  every step, as {@code fit} without its cache)
     * @throws IllegalArgumentException if a name is not a parameter (VARIABLE) of the graph or the list is empty
     */
    public GradientEngine(DiffusionGraph graph, List<String> trainable, StepArrayPool.Reuse reuse) {
        Objects.requireNonNull(reuse, "reuse");
        this.graph = graph;
        this.sd = graph.sameDiff();
        if (!sd.hasVariable(WeightedDenoisingLoss.LOSS)) {
            throw new IllegalArgumentException("the graph has no " + WeightedDenoisingLoss.LOSS
                    + ": call WeightedDenoisingLoss.addTo first");
        }
        if (trainable.isEmpty()) {
            throw new IllegalArgumentException("no trainable parameter selected");
        }
        List<SDVariable> frozen = new ArrayList<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE && !trainable.contains(v.name())) {
                frozen.add(v);
            }
        }
        for (String n : trainable) {
            if (!sd.hasVariable(n) || sd.getVariable(n).getVariableType() != VariableType.VARIABLE) {
                throw new IllegalArgumentException("trainable parameter '" + n + "' is not a parameter of the graph");
            }
        }
        if (!frozen.isEmpty()) {
            sd.convertToConstants(frozen);
        }
        this.names = List.copyOf(trainable);
        this.params = new ArrayList<>();
        this.grads = new ArrayList<>();
        for (String n : names) {
            INDArray p = sd.getVariable(n).getArr();
            params.add(p);
            INDArray g = p.ulike();
            grads.add(g);
            gradByName.put(n, g);
        }
        featureOrder = new ArrayList<>();
        featureOrder.add(graph.spec().imageInput());
        featureOrder.add(graph.spec().timestepInput());
        if (graph.spec().conditional()) {
            featureOrder.add(graph.spec().labelInput());
        }
        featureOrder.add(WeightedDenoisingLoss.TARGET);
        featureOrder.add(WeightedDenoisingLoss.WEIGHT);
        this.config = new TrainingConfig.Builder()
                .updater(new NoOp())
                .dataSetFeatureMapping(featureOrder)
                .markLabelsUnused()
                .build();
        sd.setTrainingConfig(config);
        GradientFunctions.create(sd);
        SameDiff grad = sd.getFunction("grad");
        grad.setTrainingConfig(config);
        // M2.1's array cache hands arrays that are still in use to later ops: with it on, a UNet's
        // output-layer gradients came out 10-25 % wrong. The engine's session never uses that cache: its
        // memory manager is the pool. The grad function's flag only decides whether the session reports
        // released arrays (to the pool); the forward graph keeps it off for output() calls.
        grad.setEnableCache(reuse == StepArrayPool.Reuse.WITHIN_STEP);
        sd.setEnableCache(false);
        this.pool = new StepArrayPool(reuse);
        this.session = new StepSession(grad);
        session.setMmgr(pool);
        this.paramsToTrain = new LinkedHashSet<>(names);
        for (String n : names) {
            updaters.put(n, new NoOp().instantiate((INDArray) null, false));
        }
        this.lossVariables = List.copyOf(sd.getLossVariables());
        listeners.add(capture);
    }

    /**
     * Adds a SameDiff listener to the engine's training steps (for example an {@link org.erasediff.dl4j.listen.OpTimingListener});
     * it sees every op of the forward and backward pass. The engine's own gradient capture stays first.
     */
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** The pool the engine's training session allocates from (for memory statistics). */
    public StepArrayPool arrayPool() {
        return pool;
    }

    /** Names of the trainable parameters, in gradient-list order. */
    public List<String> parameterNames() {
        return names;
    }

    /** The live parameter arrays (views of the graph's variables), in order; mutate in place only. */
    public List<INDArray> parameters() {
        return params;
    }

    /** Gradient buffers, filled by {@link #computeGradients}; owned by the engine, reused every call. */
    public List<INDArray> gradients() {
        return grads;
    }

    /** The graph the engine trains (its SameDiff instance holds the loss and the frozen constants). */
    public DiffusionGraph graph() {
        return graph;
    }

    /**
     * One forward and backward pass of the weighted denoising loss.
     *
     * @param xt        noisy images {@code [B, C, H, W]}
     * @param timesteps B timesteps
     * @param labels    B labels (or null labels), {@code null} for unconditional graphs
     * @param target    regression targets {@code [B, C, H, W]}
     * @param weights   per-sample weights {@code [B]} FLOAT
     * @return the loss value; the gradients are in {@link #gradients()}
     */
    public double computeGradients(INDArray xt, int[] timesteps, int[] labels, INDArray target, INDArray weights) {
        if (closed) {
            throw new IllegalStateException("the gradient engine was closed");
        }
        fillFeed(xt, timesteps, labels, target, weights);
        INDArray[] features = new INDArray[featureOrder.size()];
        for (int i = 0; i < features.length; i++) {
            features[i] = feed.get(featureOrder.get(i));
        }
        capture.reset();
        session.forgetReleasedArrays();
        At at = At.builder().epoch(0).iteration(iteration++).javaThreadNum(Thread.currentThread().getId())
                .operation(Operation.TRAINING).build();
        try {
            session.trainingIteration(config, feed, paramsToTrain, updaters,
                    new org.nd4j.linalg.dataset.MultiDataSet(features, null), lossVariables, listeners, at);
        } finally {
            pool.endStep();
        }
        if (capture.captured != names.size()) {
            throw new IllegalStateException("expected gradients for " + names.size() + " parameters, SameDiff produced "
                    + capture.captured + " (does every trainable parameter influence the output?)");
        }
        return capture.loss;
    }

    /**
     * The loss at the current parameters without gradients (one forward pass).
     *
     * @return the weighted loss; per-sample values are in {@link #perSampleLosses()}
     */
    public double evaluateLoss(INDArray xt, int[] timesteps, int[] labels, INDArray target, INDArray weights) {
        if (closed) {
            throw new IllegalStateException("the gradient engine was closed");
        }
        fillFeed(xt, timesteps, labels, target, weights);
        // forward only, its arrays from the engine's pool (the training session is idle between steps)
        Map<String, INDArray> out = PooledOutput.output(sd, pool, feed, WeightedDenoisingLoss.LOSS_VALUE,
                WeightedDenoisingLoss.PER_SAMPLE);
        capture.perSample = out.get(WeightedDenoisingLoss.PER_SAMPLE).toDoubleVector();
        return out.get(WeightedDenoisingLoss.LOSS_VALUE).getDouble(0);
    }

    /** Frees the recycled arrays of the engine's steps now rather than when the garbage collector runs. */
    @Override
    public void close() {
        closed = true;
        pool.close();
    }

    /** Per-sample (unweighted) losses of the last call, in batch order; owned by the engine. */
    public double[] perSampleLosses() {
        return capture.perSample;
    }

    private void fillFeed(INDArray xt, int[] timesteps, int[] labels, INDArray target, INDArray weights) {
        feed.clear();
        graph.feed(feed, xt, timesteps, labels);
        feed.put(WeightedDenoisingLoss.TARGET, target);
        feed.put(WeightedDenoisingLoss.WEIGHT, weights);
    }

    /**
     * SameDiff's training session, made to forget at the start of each step which arrays it released in
     * earlier ones. M2.1 records every released array's id in a set it never clears: over a long run that
     * set grows by ~900 ids a step on the reference UNet (a heap leak), and it would keep an array that is
     * handed out again from being released a second time.
     */
    private static final class StepSession extends TrainingSession {
        StepSession(SameDiff sd) {
            super(sd);
        }

        void forgetReleasedArrays() {
            freedArrays.clear();
        }
    }

    /** Copies gradients out of SameDiff's training step and cancels the parameter update. */
    private final class CaptureListener extends BaseListener {
        private int captured;
        private double loss;
        private double[] perSample = new double[0];

        void reset() {
            captured = 0;
            loss = Double.NaN;
        }

        @Override
        public boolean isActive(Operation operation) {
            return operation == Operation.TRAINING;
        }

        @Override
        public void preUpdate(SameDiff sameDiff, At at, Variable v, INDArray update) {
            INDArray buf = gradByName.get(v.getName());
            if (buf != null) {
                buf.assign(update);
                captured++;
            }
            update.assign(0);
        }

        @Override
        public void opExecution(SameDiff sameDiff, At at, MultiDataSet batch, SameDiffOp op, OpContext opContext,
                                INDArray[] outputs) {
            // SameDiff M2.1 reports 0.0 as the loss of a training step; read the loss op's output instead
            List<String> outs = op.getOutputsOfOp();
            int i = outs == null ? -1 : outs.indexOf(WeightedDenoisingLoss.LOSS_VALUE);
            if (i >= 0) {
                loss = outputs[i].getDouble(0);
            }
            int j = outs == null ? -1 : outs.indexOf(WeightedDenoisingLoss.PER_SAMPLE);
            if (j >= 0) {
                perSample = outputs[j].toDoubleVector();
            }
        }
    }
}
