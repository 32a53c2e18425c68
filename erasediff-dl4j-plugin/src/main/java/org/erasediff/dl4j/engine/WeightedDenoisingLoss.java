package org.erasediff.dl4j.engine;

import org.erasediff.dl4j.graph.DiffusionGraph;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adds the per-sample weighted denoising loss to a graph:
 * {@code L = Σ_b w_b · mean_{c,h,w} (ε_θ(x_t)_b − target_b)²}, with placeholders
 * {@value #TARGET} {@code [B, C, H, W]} and {@value #WEIGHT} {@code [B]}.
 *
 * <p>With {@code w_b = 1/B} it is the ordinary DDPM loss; with weights {@code 1/B_r} on remain
 * rows and {@code λ/B_f} on forget rows stacked in one batch it is {@code L_r + λ·L_f} in one
 * forward/backward pass. Always add it to a <em>copy</em> of the user's graph.
 */
public final class WeightedDenoisingLoss {

    /** Placeholder of the regression target. */
    public static final String TARGET = "erasediff_target";
    /** Placeholder of the per-sample weights. */
    public static final String WEIGHT = "erasediff_weight";
    /** The loss variable. */
    public static final String LOSS = "erasediff_loss";
    /**
     * The loss value as computed by the forward pass. {@value #LOSS} is this times a constant 1: the
     * multiplication's backward op takes the value as an input, so SameDiff computes it during a
     * training step (M2.1 otherwise skips the loss op and reports 0.0) and listeners can read it.
     */
    public static final String LOSS_VALUE = "erasediff_loss_value";
    /** Per-sample mean squared errors {@code [B]} (before weighting). */
    public static final String PER_SAMPLE = "erasediff_per_sample";

    private WeightedDenoisingLoss() {
    }

    /**
     * Adds the loss to {@code graph}'s SameDiff instance and makes it the only loss variable.
     *
     * @throws IllegalStateException if the graph already has variables with these names
     */
    public static void addTo(DiffusionGraph graph) {
        SameDiff sd = graph.sameDiff();
        for (String n : new String[] {TARGET, WEIGHT, LOSS, LOSS_VALUE, PER_SAMPLE}) {
            if (sd.hasVariable(n)) {
                throw new IllegalStateException("the graph already has a variable '" + n
                        + "': add the loss to a fresh copy of the user's graph");
            }
        }
        long[] chw = graph.imageShape();
        SDVariable out = sd.getVariable(graph.spec().output());
        SDVariable target = sd.placeHolder(TARGET, out.dataType() == null ? DataType.FLOAT : out.dataType(),
                -1, chw[0], chw[1], chw[2]);
        SDVariable weight = sd.placeHolder(WEIGHT, DataType.FLOAT, -1);
        SDVariable diff = out.sub(target);
        SDVariable perSample = diff.mul(diff).mean(PER_SAMPLE, 1, 2, 3);
        SDVariable value = perSample.mul(weight).sum(LOSS_VALUE);
        value.mul(LOSS, sd.constant("erasediff_one", Nd4j.scalar(1f)));
        sd.setLossVariables(LOSS);
    }
}
