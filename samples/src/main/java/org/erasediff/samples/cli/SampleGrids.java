package org.erasediff.samples.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.erasediff.eval.generate.ModelEvaluator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The images and labels of a report's sample grid: the first images of every kept and forgotten class. */
final class SampleGrids {

    private SampleGrids() {
    }

    /** Up to {@code n} kept images and {@code n} forgotten images per class (every forgotten class). */
    static INDArray images(ModelEvaluator.Evaluated e, int n) {
        List<INDArray> parts = new ArrayList<>();
        parts.add(firstPerClass(e.keptImages(), e.keptLabels(), n));
        if (e.forgetImages() != null) {
            parts.add(firstPerClass(e.forgetImages(), e.forgetLabels(), n));
        }
        return Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }

    /** The labels of {@link #images}, in the same order. */
    static int[] labels(ModelEvaluator.Evaluated e, int n) {
        int[] kept = firstPerClassLabels(e.keptLabels(), n);
        if (e.forgetImages() == null) {
            return kept;
        }
        int[] forget = firstPerClassLabels(e.forgetLabels(), n);
        int[] all = Arrays.copyOf(kept, kept.length + forget.length);
        System.arraycopy(forget, 0, all, kept.length, forget.length);
        return all;
    }

    /** The first {@code n} images of each label, in their order. */
    static INDArray firstPerClass(INDArray images, int[] labels, int n) {
        long[] idx = Arrays.stream(positions(labels, n)).asLongStream().toArray();
        return images.get(NDArrayIndex.indices(idx));
    }

    /** The labels of {@link #firstPerClass}. */
    static int[] firstPerClassLabels(int[] labels, int n) {
        return Arrays.stream(positions(labels, n)).map(i -> labels[i]).toArray();
    }

    private static int[] positions(int[] labels, int n) {
        Map<Integer, Integer> seen = new HashMap<>();
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (seen.merge(labels[i], 1, Integer::sum) <= n) {
                out.add(i);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
