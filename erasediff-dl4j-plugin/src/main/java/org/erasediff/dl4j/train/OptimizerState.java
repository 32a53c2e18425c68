package org.erasediff.dl4j.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.erasediff.core.optim.ExponentialMovingAverage;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a training loop checkpoints besides its JSON state: the trainable parameters, the
 * updater state and the EMA weights, keyed {@code param/<name>}, {@code updater/<name>} and
 * {@code ema/<name>}; and the model snapshot holding a chosen set of weights.
 */
public final class OptimizerState {

    private OptimizerState() {
    }

    /** The named arrays to checkpoint (views of the live arrays; written, not copied). */
    public static Map<String, INDArray> collect(List<String> names, List<INDArray> params, ParameterUpdater updater,
                                                ExponentialMovingAverage ema) {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            arrays.put("param/" + names.get(i), params.get(i));
            arrays.put("updater/" + names.get(i), updater.state().get(i));
            arrays.put("ema/" + names.get(i), ema == null ? null : ema.shadow().get(i));
        }
        return arrays;
    }

    /**
     * Restores parameters, updater state and EMA weights from checkpointed arrays.
     *
     * @throws IllegalArgumentException if a parameter is missing from the checkpoint at {@code source}
     */
    public static void restore(Map<String, INDArray> arrays, List<String> names, List<INDArray> params,
                               ParameterUpdater updater, ExponentialMovingAverage ema, Path source) {
        List<INDArray> upd = new ArrayList<>();
        List<INDArray> shadow = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            INDArray p = arrays.get("param/" + names.get(i));
            if (p == null) {
                throw new IllegalArgumentException("checkpoint " + source + " has no parameter '" + names.get(i) + "'");
            }
            params.get(i).assign(p);
            upd.add(arrays.get("updater/" + names.get(i)));
            shadow.add(arrays.get("ema/" + names.get(i)));
        }
        updater.loadState(upd);
        if (ema != null) {
            ema.load(shadow);
        }
    }

    /** A copy of {@code original} whose parameters {@code names} hold {@code weights}. */
    public static SameDiff withWeights(SameDiff original, List<String> names, List<INDArray> weights) {
        SameDiff copy = original.dup();
        for (int i = 0; i < names.size(); i++) {
            copy.getVariable(names.get(i)).getArr().assign(weights.get(i));
        }
        return copy;
    }
}
