package org.erasediff.core.optim;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Global-norm gradient clipping: if the Euclidean norm of all gradients together exceeds
 * {@code maxNorm}, every gradient is scaled by {@code maxNorm / norm}, so the norm afterwards is
 * exactly {@code maxNorm} (up to rounding) and the direction is unchanged.
 *
 * <p>This is PyTorch's {@code clip_grad_norm_} as used by the EraseDiff reference code, except that
 * PyTorch divides by {@code norm + 1e-6}; the difference is below float precision for the norms
 * that trigger clipping. A non-finite norm is reported but never applied, so a NaN does not
 * spread into the gradients: the caller's NaN policy decides what to do.
 */
public final class GradientClipping {

    private GradientClipping() {
    }

    /**
     * What a clipping call found and did.
     *
     * @param normBefore the global norm before clipping (NaN or infinite if a gradient was)
     * @param clipped    whether the gradients were scaled
     * @param scale      the factor applied ({@code 1} when not clipped)
     */
    public record Result(double normBefore, boolean clipped, double scale) {

        /** The global norm after clipping: {@code normBefore · scale}. */
        public double normAfter() {
            return normBefore * scale;
        }

        /** Whether the norm before clipping was finite. */
        public boolean isFinite() {
            return Double.isFinite(normBefore);
        }
    }

    /**
     * Clips the gradients in place to a global norm of at most {@code maxNorm}.
     *
     * @param gradients the per-parameter gradients; scaled in place when their global norm exceeds
     *                  {@code maxNorm}, otherwise (and when the norm is not finite) left untouched
     * @param maxNorm   the largest allowed global norm, {@code > 0} and finite
     * @return the norm found and whether it was clipped
     * @throws IllegalArgumentException if {@code maxNorm} is not positive (+∞ measures the norm
     *                                  without clipping), or the list is {@code null} or contains {@code null}
     */
    public static Result clipByGlobalNorm(List<INDArray> gradients, double maxNorm) {
        if (!(maxNorm > 0.0)) {
            throw new IllegalArgumentException("maxNorm must be > 0 (or +Infinity for no clipping), was " + maxNorm);
        }
        double norm = GradientVectors.norm(gradients);
        if (!Double.isFinite(norm) || norm <= maxNorm) {
            return new Result(norm, false, 1.0);
        }
        double scale = maxNorm / norm;
        GradientVectors.scaleInPlace(gradients, scale);
        return new Result(norm, true, scale);
    }
}
