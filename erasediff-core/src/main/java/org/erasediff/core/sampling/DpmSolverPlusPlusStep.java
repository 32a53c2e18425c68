package org.erasediff.core.sampling;

import java.util.Arrays;
import java.util.Objects;
import org.erasediff.core.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One step of DPM-Solver++(2M) (Lu et al., 2022): the deterministic second-order multistep
 * solver of the probability-flow ODE in data-prediction form, here on the discrete schedule
 * with α_t = √ᾱ_t, σ_t = √(1−ᾱ_t) and λ_t = log(α_t/σ_t).
 *
 * <p>A step from the visited timestep t to the next one t' &lt; t first turns the (guided) noise
 * prediction into a clean-image estimate, then moves x along the ODE with h = λ_t' − λ_t:
 * <pre>
 *   x̂_0  = (x_t − σ_t·ε̃) / α_t                        (optionally clipped to [−1, 1])
 *   first order:   x_t' = (σ_t'/σ_t)·x_t + α_t'·(1 − e^{−h})·x̂_0
 *   second order:  x_t' = (σ_t'/σ_t)·x_t + α_t'·(1 − e^{−h})·((1 + 1/(2r))·x̂_0 − (1/(2r))·x̂_0^prev),
 *                  r = (λ_t − λ_prev)/h
 * </pre>
 * where x̂_0^prev is the estimate made at the previously visited timestep "prev" &gt; t (the
 * "midpoint" form of the 2M update). The first-order update is exactly deterministic DDIM
 * (η = 0). The step is first order
 * <ul>
 *   <li>on the first step of a pass, which has no earlier estimate;</li>
 *   <li>on the final step to t' = −1, where ᾱ_{−1} = 1, σ_t' = 0 and h = ∞, so x_t' = x̂_0 exactly
 *       as in {@link DdimStep};</li>
 *   <li>("lower order final", on by default) on the step into t' = 0, the least noisy timestep
 *       of the schedule. λ_0 is the largest finite λ (about 4.6 for the linear 1000-step
 *       schedule) and timesteps spaced in t make this the longest stretch of λ by far, so
 *       extrapolating the previous estimate over it overshoots: with 10 or 20 uniformly spaced
 *       steps on that schedule the second-order version lands further from the exact ODE
 *       solution than DDIM does. Together, the two first-order final steps play the part of
 *       diffusers' first-order final jump to σ = 0 ({@code lower_order_final}).</li>
 * </ul>
 * Every other step is second order.
 *
 * <p>The earlier estimate is kept in an explicit {@link History}, one per sampling pass, so the
 * step object itself is immutable and thread-safe while a pass stays reproducible.
 */
public final class DpmSolverPlusPlusStep {

    private final NoiseSchedule schedule;
    private final boolean clip;
    private final boolean lowerOrderFinal;

    /**
     * A solver with the lower-order final steps on.
     *
     * @param schedule the noise schedule the model was trained with
     * @param clip     whether to clip x̂_0 to [−1, 1] at every step (before it is used and stored)
     */
    public DpmSolverPlusPlusStep(NoiseSchedule schedule, boolean clip) {
        this(schedule, clip, true);
    }

    /**
     * @param schedule        the noise schedule the model was trained with
     * @param clip            whether to clip x̂_0 to [−1, 1] at every step (before it is used and
     *                        stored)
     * @param lowerOrderFinal whether the step into t' = 0 is first order (the step to t' = −1
     *                        always is)
     */
    public DpmSolverPlusPlusStep(NoiseSchedule schedule, boolean clip, boolean lowerOrderFinal) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.clip = clip;
        this.lowerOrderFinal = lowerOrderFinal;
    }

    /**
     * The order the next {@link #step} with this history and target will use.
     *
     * @param history the pass's history
     * @param tPrev   target timestep in [−1, T−1)
     * @return 1 when the history is empty (first step), tPrev = −1 (final step), or tPrev = 0 with
     *         lower-order final steps on; else 2
     */
    public int order(History history, int tPrev) {
        Objects.requireNonNull(history, "history");
        return history.isEmpty() || tPrev == -1 || (lowerOrderFinal && tPrev == 0) ? 1 : 2;
    }

    /**
     * λ_t = log(α_t/σ_t), the log signal-to-noise half-ratio the solver steps in.
     *
     * @param t timestep in [−1, T)
     * @return λ_t; +∞ at t = −1
     */
    public double lambda(int t) {
        return Math.log(schedule.sqrtAlphaBar(t)) - Math.log(schedule.sqrtOneMinusAlphaBar(t));
    }

    /**
     * Takes the step in place and records this step's x̂_0 in the history. No arrays are
     * allocated, except the history's buffer on the first step of the first pass (and again if
     * a later pass has another shape).
     *
     * @param xt       x_t {@code [B, ...]}, floating point; overwritten with x_t'
     * @param epsTilde the (guided) noise prediction ε̃ for x_t, same shape and type; used as
     *                 scratch: on return it holds x̂_0 (clipped if clipping is on)
     * @param t        current timestep in [0, T); after the first step of a pass it must be the
     *                 previous step's target
     * @param tPrev    target timestep in [−1, t); −1 makes x_t' = x̂_0 and ends the pass (the
     *                 history is then empty again)
     * @param history  the pass's history: empty on the first step, then updated by every step
     * @throws IllegalStateException if the history belongs to a pass that did not end at t, or
     *                               holds images of another shape or type
     */
    public void step(INDArray xt, INDArray epsTilde, int t, int tPrev, History history) {
        Objects.requireNonNull(xt, "xt");
        Objects.requireNonNull(epsTilde, "epsTilde");
        Objects.requireNonNull(history, "history");
        if (!xt.dataType().isFPType()) {
            throw new IllegalArgumentException("xt must be floating point, got " + xt.dataType());
        }
        checkSameLayout("epsTilde", xt, epsTilde);
        checkSteps(t, tPrev);
        boolean secondOrder = order(history, tPrev) == 2;
        if (!history.isEmpty()) {
            if (history.nextT != t) {
                throw new IllegalStateException("the history's pass continues at t = " + history.nextT + ", got t = "
                        + t + "; call History.reset() before starting a new pass");
            }
            if (!Arrays.equals(history.x0.shape(), xt.shape()) || history.x0.dataType() != xt.dataType()) {
                throw new IllegalStateException("the history holds " + history.x0.dataType() + " "
                        + Arrays.toString(history.x0.shape()) + " images, but xt is " + xt.dataType() + " "
                        + Arrays.toString(xt.shape()) + "; call History.reset() before starting a new pass");
            }
        }
        double a = schedule.sqrtAlphaBar(t);
        double b = schedule.sqrtOneMinusAlphaBar(t);
        double lambdaT = lambda(t);
        double h = lambda(tPrev) - lambdaT;
        if (tPrev != -1 && (!(h > 0) || Double.isInfinite(h))) {
            throw new IllegalStateException("the schedule must have lambda(tPrev) > lambda(t), got h = " + h
                    + " for t = " + t + ", tPrev = " + tPrev);
        }

        // epsTilde <- x̂_0 = xt/a − (b/a)·ε̃
        epsTilde.muli(-b / a);
        Nd4j.exec(new Axpy(xt, epsTilde, epsTilde, 1.0 / a));
        if (clip) {
            Transforms.max(epsTilde, -1.0, false);
            Transforms.min(epsTilde, 1.0, false);
        }
        if (tPrev == -1) {
            xt.assign(epsTilde);
            history.reset();
            return;
        }

        // k = α_t'·(1 − e^{−h}); expm1 keeps it accurate for the small h of many-step runs.
        double k = -schedule.sqrtAlphaBar(tPrev) * Math.expm1(-h);
        xt.muli(schedule.sqrtOneMinusAlphaBar(tPrev) / b);
        if (secondOrder) {
            double r = (lambdaT - lambda(history.previousT)) / h;
            double c = k / (2 * r);
            Nd4j.exec(new Axpy(epsTilde, xt, xt, k + c));
            Nd4j.exec(new Axpy(history.x0, xt, xt, -c));
        } else {
            Nd4j.exec(new Axpy(epsTilde, xt, xt, k));
        }
        history.record(epsTilde, t, tPrev);
    }

    /** @return whether x̂_0 is clipped to [−1, 1] */
    public boolean clip() {
        return clip;
    }

    /** @return whether the step into t' = 0 is first order */
    public boolean lowerOrderFinal() {
        return lowerOrderFinal;
    }

    private void checkSteps(int t, int tPrev) {
        int n = schedule.numTimesteps();
        if (t < 0 || t >= n) {
            throw new IllegalArgumentException("t must be in [0, " + n + "), got " + t);
        }
        if (tPrev < -1 || tPrev >= t) {
            throw new IllegalArgumentException("tPrev must be in [-1, t=" + t + "), got " + tPrev);
        }
    }

    private static void checkSameLayout(String name, INDArray xt, INDArray other) {
        if (!Arrays.equals(xt.shape(), other.shape()) || xt.dataType() != other.dataType()) {
            throw new IllegalArgumentException(name + " must match xt: expected " + xt.dataType() + " "
                    + Arrays.toString(xt.shape()) + ", got " + other.dataType() + " " + Arrays.toString(other.shape()));
        }
    }

    /**
     * The state a DPM-Solver++(2M) pass carries from one step to the next: the previous step's
     * x̂_0 (in a buffer owned by the history and reused from pass to pass), the timestep it was
     * estimated at, and the timestep the pass continues from. Starts empty; a final step (to
     * t' = −1) or {@link #reset()} empties it again. Not thread-safe: use one per concurrent pass.
     */
    public static final class History {

        private INDArray x0;
        private int previousT;
        private int nextT;
        private boolean empty = true;

        /** Creates an empty history. */
        public History() {
        }

        /** Forgets the current pass (keeping the buffer), so the next step is a first step. */
        public void reset() {
            empty = true;
        }

        /** @return whether the next step is the first of a pass */
        public boolean isEmpty() {
            return empty;
        }

        private void record(INDArray estimate, int t, int tPrev) {
            if (x0 == null || !Arrays.equals(x0.shape(), estimate.shape()) || x0.dataType() != estimate.dataType()) {
                x0 = Nd4j.createUninitialized(estimate.dataType(), estimate.shape());
            }
            x0.assign(estimate);
            previousT = t;
            nextT = tPrev;
            empty = false;
        }
    }
}
