package org.erasediff.dl4j.train;

import org.nd4j.linalg.schedule.ISchedule;

/**
 * Learning rate with linear warm-up then cosine decay: rises from {@code base/warmup} to
 * {@code base} over {@code warmup} iterations, then follows a half cosine down to
 * {@code base·finalFraction} at {@code total} iterations (constant afterwards).
 * With {@code finalFraction = 1} the rate stays at {@code base} after warm-up.
 */
public final class WarmupCosineSchedule implements ISchedule {

    private static final long serialVersionUID = 1L;

    private final double base;
    private final int warmup;
    private final int total;
    private final double finalFraction;

    /**
     * @param base          peak learning rate (&gt; 0)
     * @param warmup        warm-up iterations (&ge; 0)
     * @param total         iterations of the whole run (&ge; warmup)
     * @param finalFraction final rate as a fraction of {@code base}, in [0, 1]
     */
    public WarmupCosineSchedule(double base, int warmup, int total, double finalFraction) {
        if (!(base > 0)) {
            throw new IllegalArgumentException("learning rate must be > 0, was " + base);
        }
        if (warmup < 0 || total < warmup) {
            throw new IllegalArgumentException("need 0 <= warmup <= total, was warmup " + warmup + ", total " + total);
        }
        if (finalFraction < 0 || finalFraction > 1) {
            throw new IllegalArgumentException("finalFraction must be in [0, 1], was " + finalFraction);
        }
        this.base = base;
        this.warmup = warmup;
        this.total = total;
        this.finalFraction = finalFraction;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        if (iteration < warmup) {
            return base * (iteration + 1) / warmup;
        }
        if (total == warmup || iteration >= total) {
            return total == warmup ? base : base * finalFraction;
        }
        double progress = (iteration - warmup) / (double) (total - warmup);
        double cos = 0.5 * (1 + Math.cos(Math.PI * progress));
        return base * (finalFraction + (1 - finalFraction) * cos);
    }

    @Override
    public ISchedule clone() {
        return new WarmupCosineSchedule(base, warmup, total, finalFraction);
    }
}
