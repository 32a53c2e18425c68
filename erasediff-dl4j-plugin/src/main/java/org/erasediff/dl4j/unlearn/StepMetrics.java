package org.erasediff.dl4j.unlearn;

/**
 * What happened in one outer step of unlearning.
 *
 * @param step          0-based outer step
 * @param remainLoss    L_r on the step's remain batch
 * @param forgetLoss    L_f on the step's forget batch
 * @param q             constraint value f(θ) − f(θ_K), or NaN when the inner loop did not run
 * @param lambda        the λ used
 * @param remainGradNorm ‖∇L_r‖, or NaN when the gradients were not computed separately (fixed λ)
 * @param forgetGradNorm ‖∇L_f‖, or NaN when not computed separately
 * @param directionNorm ‖δ‖ before clipping
 * @param clipped       whether δ was clipped
 * @param stepScale     learning-rate factor after NaN back-offs (1 normally)
 * @param seconds       wall time of the step
 */
public record StepMetrics(int step, double remainLoss, double forgetLoss, double q, double lambda,
                          double remainGradNorm, double forgetGradNorm, double directionNorm, boolean clipped,
                          double stepScale, double seconds) {

    /** CSV header matching {@link #toCsv()}. */
    public static final String CSV_HEADER =
            "step,remain_loss,forget_loss,q,lambda,remain_grad_norm,forget_grad_norm,direction_norm,clipped,"
                    + "step_scale,seconds";

    /** One CSV row. */
    public String toCsv() {
        return step + "," + remainLoss + "," + forgetLoss + "," + q + "," + lambda + "," + remainGradNorm + ","
                + forgetGradNorm + "," + directionNorm + "," + clipped + "," + stepScale + "," + seconds;
    }
}
