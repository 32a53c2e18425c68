package org.erasediff.samples.examples;

import java.io.IOException;
import java.util.Collection;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.unlearn.EraseDiffUnlearner;
import org.erasediff.dl4j.unlearn.UnlearningResult;

/**
 * Forgets specific training images, named by their sample ids (a deletion request), while the
 * rest of the data set, including other images of the same classes, is kept.
 */
public final class UnlearnImages {

    private UnlearnImages() {
    }

    /**
     * @param model     the trained model (not modified)
     * @param training  the data it was trained on; sample ids identify its images (for idx files
     *                  such as MNIST they are the positions in the file)
     * @param sampleIds the images to forget
     * @param steps     EraseDiff steps
     * @return the unlearned model with its per-step history and provenance
     */
    public static UnlearningResult forgetImages(DiffusionGraph model, LabelledImages training,
                                                Collection<Integer> sampleIds, int steps) throws IOException {
        ForgetRemainSplit split = ForgetRemainSplit.bySampleIds(training, sampleIds);
        EraseDiffConfig config = EraseDiffConfig.builder()
                .optOuterSteps(steps)
                // a deletion request is usually small: then every forget batch holds each of its images once
                .optForgetBatchSize(Math.min(EraseDiffConfig.DEFAULT_BATCH_SIZE, split.forget().size()))
                .build();
        return EraseDiffUnlearner.builder(config).build().unlearn(model, split);
    }
}
