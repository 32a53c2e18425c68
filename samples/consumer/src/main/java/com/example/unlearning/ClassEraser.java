package com.example.unlearning;

import java.io.IOException;
import java.util.List;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.optim.UpdaterSettings;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.core.unlearn.ForgetTarget;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.unlearn.EraseDiffUnlearner;

/**
 * This project's unlearning step: makes a class-conditional model draw another class in place
 * of a forbidden one (EraseDiff with a pseudo-label target), keeping the other classes.
 */
public final class ClassEraser {

    private final int replacement;
    private final int steps;

    /**
     * @param replacement the class the model should draw instead
     * @param steps       EraseDiff steps
     */
    public ClassEraser(int replacement, int steps) {
        this.replacement = replacement;
        this.steps = steps;
    }

    /**
     * @param model     the trained model (not modified)
     * @param training  its training data
     * @param forbidden the class to erase
     * @return the model with the class erased
     */
    public DiffusionGraph erase(DiffusionGraph model, LabelledImages training, int forbidden) throws IOException {
        EraseDiffConfig config = EraseDiffConfig.builder()
                .optOuterSteps(steps)
                .optForgetTarget(ForgetTarget.fixedClass(replacement))
                .optUpdater(UpdaterSettings.adam(0.05))
                .optRemainBatchSize(8)
                .optForgetBatchSize(8)
                .optEmaDecay(0)
                .build();
        ForgetRemainSplit split = ForgetRemainSplit.byClasses(training, List.of(forbidden));
        return EraseDiffUnlearner.builder(config).build().unlearn(model, split).model();
    }
}
