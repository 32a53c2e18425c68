package org.erasediff.samples.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.erasediff.eval.generate.ModelEvaluator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The images and labels of a report's sample grid: the first images of every kept and forgotten class. */
final class SampleGrids {

    private SampleGrids() {
    }

    /** Up to {@code n} kept images and {@code n} forgotten images per class (every forgotten class). */
    static INDArray images(ModelEvaluator.Evaluated e, int n) {
        List<INDArray> parts = new ArrayList<>();
        parts.add(EvalCommand.firstColumns(e.keptImages(), e.keptLabels(), n));
        if (e.forgetImages() != null) {
            parts.add(EvalCommand.firstColumns(e.forgetImages(), e.forgetLabels(), n));
        }
        return Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }

    /** The labels of {@link #images}, in the same order. */
    static int[] labels(ModelEvaluator.Evaluated e, int n) {
        int[] kept = EvalCommand.firstLabels(e.keptLabels(), n);
        if (e.forgetImages() == null) {
            return kept;
        }
        int[] forget = EvalCommand.firstLabels(e.forgetLabels(), n);
        int[] all = Arrays.copyOf(kept, kept.length + forget.length);
        System.arraycopy(forget, 0, all, kept.length, forget.length);
        return all;
    }
}
