package org.erasediff.dl4j.loop;

/**
 * The losses and gradient figures a {@link StepAlgorithm} reports for one step; NaN where the
 * method does not compute a quantity (see {@link org.erasediff.dl4j.listen.StepMetrics} for the
 * meaning of each).
 */
public record StepLosses(double loss, double remainLoss, double forgetLoss, double q, double innerForgetLoss,
                         double lambda, double remainGradNorm, double forgetGradNorm) {

    /** A step that minimised one loss and reports nothing else. */
    public static StepLosses ofLoss(double loss) {
        return new StepLosses(loss, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN);
    }

    /** The first non-finite loss, named, or {@code null} when every computed one is finite. */
    String nonFinite() {
        double[] v = {loss, remainLoss, forgetLoss, q, innerForgetLoss, lambda, remainGradNorm, forgetGradNorm};
        String[] n = {"loss", "L_r", "L_f", "q", "f(θ_K)", "λ", "|∇L_r|", "|∇L_f|"};
        for (int i = 0; i < v.length; i++) {
            if (Double.isInfinite(v[i]) || (Double.isNaN(v[i]) && i == 0)) {
                return "non-finite " + n[i] + " (" + v[i] + ")";
            }
        }
        return null;
    }
}
