package org.erasediff.testing.eval;

import org.erasediff.eval.classifier.SameDiffClassifier;
import org.erasediff.testing.TinyGraphs;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A judge for {@link TinyGraphs#stripes}, built by hand rather than trained: the logit of class c
 * is the correlation of the image with stripe c (both in [−1, 1]) times a sharpness; the
 * probabilities are their softmax. Each stripe is classified as itself with probability above
 * 0.99; a flat grey image gets 1/3 for every class.
 */
public final class StripesJudge {

    /** Name of the image placeholder. */
    public static final String INPUT = "image";
    /** Name of the class-probability output. */
    public static final String PROBABILITIES = "probabilities";
    /** Name of the feature output (the logits). */
    public static final String FEATURES = "logits";

    private static final double SHARPNESS = 5.0;

    private StripesJudge() {
    }

    /**
     * Builds the judge.
     *
     * @param size image height and width of the stripes
     * @return the classifier (images {@code [B, 1, size, size]} in [−1, 1])
     */
    public static SameDiffClassifier create(int size) {
        float[][] stripes = TinyGraphs.stripeImages(size);
        int pixels = size * size;
        float[][] w = new float[pixels][TinyGraphs.STRIPES_CLASSES];
        for (int c = 0; c < TinyGraphs.STRIPES_CLASSES; c++) {
            for (int k = 0; k < pixels; k++) {
                w[k][c] = (float) (stripes[c][k] * SHARPNESS / pixels);
            }
        }
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, 1, size, size);
        SDVariable logits = x.reshape(-1, pixels).mmul(sd.constant("templates", Nd4j.createFromArray(w)))
                .rename(FEATURES);
        sd.nn().softmax(PROBABILITIES, logits, 1);
        return new SameDiffClassifier(sd, INPUT, PROBABILITIES, FEATURES, 64);
    }
}
