package org.erasediff.dl4j.unlearn;

import java.io.IOException;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.dl4j.graph.DiffusionGraph;

/** Removes the influence of a forget set from a trained diffusion model. */
public interface Unlearner {

    /**
     * Unlearns {@code split.forget()} while preserving quality on {@code split.remain()}.
     *
     * @param model the trained model (never modified; the result holds a new graph)
     * @param split the deletion request
     * @return the unlearned model with its history and provenance
     * @throws IllegalArgumentException if the inputs do not fit together (checked before any work)
     * @throws IOException              if checkpoints cannot be read or written
     */
    UnlearningResult unlearn(DiffusionGraph model, ForgetRemainSplit split) throws IOException;
}
