package org.erasediff.samples.examples;

// README:begin
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.data.IteratorImages;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.data.PixelRange;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.dl4j.checkpoint.GraphFiles;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.graph.DiffusionGraphSpec;
import org.erasediff.dl4j.graph.LabelEncoding;
import org.erasediff.dl4j.unlearn.EraseDiffUnlearner;
import org.erasediff.dl4j.unlearn.UnlearningResult;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** Forgets one class of a trained SameDiff diffusion model with EraseDiff. */
public final class QuickStart {

    /**
     * @param modelFile your trained noise-prediction graph (a SameDiff FlatBuffers file)
     * @param training  its training data: NCHW images in [-1, 1], one-hot or index labels
     * @param forget    the class to forget
     * @param steps     EraseDiff steps (the paper uses 200)
     * @param outFile   where the unlearned graph goes
     */
    public static UnlearningResult forgetClass(Path modelFile, DataSetIterator training, int forget, int steps,
                                               Path outFile) throws IOException {
        // Name your graph's placeholders and output: image x_t, timestep t, class label -> predicted noise
        DiffusionGraphSpec spec = DiffusionGraphSpec.builder("img", "step", "noise_hat")
                .labels("cls", LabelEncoding.INDEX, 3)   // 3 classes; leave out for an unconditional graph
                .build();
        DiffusionGraph model = new DiffusionGraph(GraphFiles.load(modelFile, false), spec);

        LabelledImages data = new IteratorImages(spec.numClasses(), PixelRange.SIGNED_UNIT).read("train", training);
        ForgetRemainSplit split = ForgetRemainSplit.byClasses(data, List.of(forget));

        EraseDiffConfig config = EraseDiffConfig.builder().optOuterSteps(steps).build();
        UnlearningResult result = EraseDiffUnlearner.builder(config).build().unlearn(model, split);
        GraphFiles.save(result.model().sameDiff(), outFile, false);   // atomically; the input is untouched
        return result;
    }

    private QuickStart() {
    }
}
// README:end
