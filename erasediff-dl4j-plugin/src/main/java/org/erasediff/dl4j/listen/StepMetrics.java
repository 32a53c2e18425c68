package org.erasediff.dl4j.listen;

import java.util.Locale;

/**
 * What happened in one step of a training or unlearning run. Quantities a method does not compute
 * are NaN (and shown as "–" by {@link #summary()}, empty in {@link #toCsv()}).
 *
 * @param step            0-based step
 * @param loss            the objective the step minimised (DDPM: the denoising loss; EraseDiff:
 *                        L_r + λ·L_f, reference mode L_r + λ·(L_f − c))
 * @param remainLoss      L_r on the step's remain batch
 * @param forgetLoss      L_f on the step's forget batch
 * @param q               constraint value f(θ) − f(θ_K) (FAITHFUL with the inner loop; reference
 *                        mode: L_f − c)
 * @param innerForgetLoss f after the inner loop: f(θ_K) on the step's forget batch (FAITHFUL), or
 *                        the round's constant c, the mean L_f of its last inner epoch (reference)
 * @param lambda          the λ used
 * @param remainGradNorm  ‖∇L_r‖ (only when the gradients were computed separately)
 * @param forgetGradNorm  ‖∇L_f‖ (only when computed separately)
 * @param gradNorm        norm of the update direction before clipping
 * @param clipped         whether the direction was clipped
 * @param learningRate    the learning rate of the update (after any step-scale back-off)
 * @param stepScale       learning-rate factor after NaN back-offs (1 normally)
 * @param seconds         wall time of the step (all attempts)
 */
public record StepMetrics(int step, double loss, double remainLoss, double forgetLoss, double q,
                          double innerForgetLoss, double lambda, double remainGradNorm, double forgetGradNorm,
                          double gradNorm, boolean clipped, double learningRate, double stepScale, double seconds) {

    /** CSV header matching {@link #toCsv()}. */
    public static final String CSV_HEADER = "step,loss,remain_loss,forget_loss,q,inner_forget_loss,lambda,"
            + "remain_grad_norm,forget_grad_norm,grad_norm,clipped,learning_rate,step_scale,seconds";

    /** One CSV row; quantities not computed are empty cells. */
    public String toCsv() {
        return step + "," + cell(loss) + "," + cell(remainLoss) + "," + cell(forgetLoss) + "," + cell(q) + ","
                + cell(innerForgetLoss) + "," + cell(lambda) + "," + cell(remainGradNorm) + ","
                + cell(forgetGradNorm) + "," + cell(gradNorm) + "," + clipped + "," + cell(learningRate) + ","
                + cell(stepScale) + "," + cell(seconds);
    }

    /** A one-line summary for logs, naming only what the step computed. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        part(b, "loss", loss);
        part(b, "L_r", remainLoss);
        part(b, "L_f", forgetLoss);
        part(b, "q", q);
        part(b, "f(θ_K)", innerForgetLoss);
        part(b, "λ", lambda);
        part(b, "|∇L_r|", remainGradNorm);
        part(b, "|∇L_f|", forgetGradNorm);
        part(b, "|g|", gradNorm);
        part(b, "lr", learningRate);
        if (clipped) {
            b.append(" (clipped)");
        }
        if (stepScale != 1.0) {
            b.append(String.format(Locale.ROOT, " step scale %.3g", stepScale));
        }
        return b.toString().trim();
    }

    private static void part(StringBuilder b, String name, double v) {
        if (!Double.isNaN(v)) {
            b.append(' ').append(name).append(' ').append(String.format(Locale.ROOT, "%.4g", v));
        }
    }

    private static String cell(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }
}
