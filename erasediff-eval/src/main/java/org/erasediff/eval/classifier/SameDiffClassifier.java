package org.erasediff.eval.classifier;

import java.util.Map;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.dl4j.memory.PooledOutput;
import org.erasediff.dl4j.memory.StepArrayPool;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Any SameDiff image classifier used as the evaluation classifier ψ: the user names the image
 * placeholder (images in [−1, 1], {@code [B, C, H, W]}), the class-probability output and a
 * feature output (usually the penultimate layer, used for FID, KID and precision/recall).
 * The names are checked against the graph on construction.
 */
public final class SameDiffClassifier {

    private final SameDiff graph;
    private final String imageInput;
    private final String probabilitiesOutput;
    private final String featuresOutput;
    private final int chunkSize;

    /** Class probabilities {@code [N, classes]} and features {@code [N, D]}; owned by the caller. */
    public record Outputs(INDArray probabilities, INDArray features) {
    }

    /**
     * @param graph               the classifier graph
     * @param imageInput          name of the image placeholder
     * @param probabilitiesOutput name of the variable holding class probabilities (rows sum to 1)
     * @param featuresOutput      name of the feature variable
     * @param chunkSize           images per forward pass (&gt; 0)
     * @throws IllegalArgumentException if a name is not in the graph or the input is not a placeholder
     */
    public SameDiffClassifier(SameDiff graph, String imageInput, String probabilitiesOutput, String featuresOutput,
                              int chunkSize) {
        requireVariable(graph, imageInput, "image input");
        requireVariable(graph, probabilitiesOutput, "probabilities output");
        requireVariable(graph, featuresOutput, "features output");
        if (!graph.getVariable(imageInput).isPlaceHolder()) {
            throw new IllegalArgumentException("image input '" + imageInput + "' is not a placeholder of the graph");
        }
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunkSize must be > 0, was " + chunkSize);
        }
        // M2.1's array cache can hand arrays still in use to later ops (wrong outputs on repeated calls)
        graph.setEnableCache(false);
        this.graph = graph;
        this.imageInput = imageInput;
        this.probabilitiesOutput = probabilitiesOutput;
        this.featuresOutput = featuresOutput;
        this.chunkSize = chunkSize;
    }

    private static void requireVariable(SameDiff sd, String name, String role) {
        if (name == null || !sd.hasVariable(name)) {
            throw new IllegalArgumentException(role + " '" + name + "' is not a variable of the classifier graph");
        }
    }

    /** The wrapped graph (shared, not copied). */
    public SameDiff graph() {
        return graph;
    }

    /**
     * Classifies images in chunks. The chunks' intermediate arrays are recycled from one chunk to
     * the next ({@link PooledOutput}) and freed when the call returns: the 10,000 MNIST test images
     * in chunks of 500 took 2.2–3.7 s against 4.2–12.3 s with SameDiff's own call per chunk (the
     * shipped classifier, six alternating repetitions in one process,
     * {@code docs/eval-time/microbench/run.sh}; identical outputs). One call
     * at a time per classifier.
     *
     * @param images {@code [N, C, H, W]} in [−1, 1]; not modified
     * @return probabilities and features for all N images
     */
    public synchronized Outputs classify(INDArray images) {
        long n = images.size(0);
        INDArray probs = null;
        INDArray feats = null;
        try (StepArrayPool pool = new StepArrayPool(StepArrayPool.Reuse.NEXT_STEP)) {
            for (long start = 0; start < n; start += chunkSize) {
                long end = Math.min(n, start + chunkSize);
                INDArray chunk = images.get(NDArrayIndex.interval(start, end)).castTo(DataType.FLOAT);
                Map<String, INDArray> out = PooledOutput.output(graph, pool, Map.of(imageInput, chunk),
                        probabilitiesOutput, featuresOutput);
                INDArray p = out.get(probabilitiesOutput);
                INDArray f = out.get(featuresOutput);
                if (probs == null) {
                    probs = Nd4j.create(DataType.FLOAT, n, p.size(1));
                    feats = Nd4j.create(DataType.FLOAT, n, f.length() / f.size(0));
                }
                probs.get(NDArrayIndex.interval(start, end), NDArrayIndex.all()).assign(p);
                feats.get(NDArrayIndex.interval(start, end), NDArrayIndex.all()).assign(f.reshape(end - start, -1));
            }
        }
        if (probs == null) {
            throw new IllegalArgumentException("no images to classify");
        }
        return new Outputs(probs, feats);
    }

    /** Predicted class (argmax) of each image. */
    public int[] predict(INDArray images) {
        return classify(images).probabilities().argMax(1).toIntVector();
    }

    /** Fraction of a labelled set classified correctly. */
    public double accuracy(LabelledImages data) {
        int correct = 0;
        int batch = Math.min(chunkSize, data.size());
        INDArray buf = Nd4j.create(DataType.FLOAT, batch, data.channels(), data.height(), data.width());
        float[] staging = new float[batch * data.imageSize()];
        for (int start = 0; start < data.size(); start += batch) {
            int end = Math.min(data.size(), start + batch);
            int[] pos = java.util.stream.IntStream.range(start, end).toArray();
            INDArray target = end - start == batch ? buf
                    : Nd4j.create(DataType.FLOAT, end - start, data.channels(), data.height(), data.width());
            data.copyScaled(pos, target, staging);
            int[] pred = predict(target);
            for (int j = 0; j < pred.length; j++) {
                if (pred[j] == data.label(start + j)) {
                    correct++;
                }
            }
        }
        return correct / (double) data.size();
    }
}
