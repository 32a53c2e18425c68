package org.erasediff.core.sampling;

/**
 * How a sampler picks its timesteps when it takes fewer steps than the schedule has.
 * Both spacings start at T−1, end at 0, and are strictly decreasing.
 */
public enum TimestepSpacing {
    /** Evenly spaced: t_i = round(i·(T−1)/(S−1)). With S = T every timestep is visited. */
    UNIFORM,
    /**
     * Quadratically spaced, denser near t = 0: t_i = round((T−1)·(i/(S−1))²), pushed up where
     * needed so that the sequence stays strictly increasing (DDIM's "quad" spacing over the
     * full range).
     */
    QUADRATIC;

    /**
     * The timesteps to visit, in sampling order.
     *
     * @param numTimesteps T, the schedule's number of timesteps (≥ 1)
     * @param steps        S, how many timesteps to visit, in [1, T]
     * @return a new array of length S: T−1 first, 0 last (for S = 1 just {T−1}), strictly decreasing
     */
    public int[] timesteps(int numTimesteps, int steps) {
        if (numTimesteps < 1) {
            throw new IllegalArgumentException("numTimesteps must be at least 1, got " + numTimesteps);
        }
        if (steps < 1 || steps > numTimesteps) {
            throw new IllegalArgumentException("steps must be in [1, " + numTimesteps + "], got " + steps);
        }
        int[] out = new int[steps];
        if (steps == 1) {
            out[0] = numTimesteps - 1;
            return out;
        }
        long last = numTimesteps - 1L;
        long gaps = steps - 1L;
        int previous = -1;
        // Fill ascending from the end of the array, so out[steps-1] = 0 and out[0] = T-1.
        for (int i = 0; i < steps; i++) {
            int t;
            if (this == UNIFORM) {
                t = (int) ((2 * i * last + gaps) / (2 * gaps)); // round(i·last/gaps), exact in integers
            } else {
                double u = (double) i / gaps;
                t = Math.max((int) Math.round(last * u * u), previous + 1);
            }
            out[steps - 1 - i] = t;
            previous = t;
        }
        return out;
    }
}
