package org.erasediff.core.schedule;

import java.util.SplittableRandom;

/**
 * Draws the diffusion timesteps of a training batch, uniformly over {@code [0, T)}: independently,
 * or antithetically in pairs (t, T − 1 − t) as the DDPM reference code does, which lowers the
 * variance of the batch's loss without changing its expectation.
 */
public final class TrainingTimesteps {

    private TrainingTimesteps() {
    }

    /**
     * Fills {@code out} with independent uniform timesteps.
     *
     * @param r    the generator (advanced by one draw per entry)
     * @param out  one entry per sample; overwritten
     * @param numT T
     */
    public static void uniform(SplittableRandom r, int[] out, int numT) {
        for (int i = 0; i < out.length; i++) {
            out[i] = r.nextInt(numT);
        }
    }

    /**
     * Fills {@code out} with antithetic pairs: the first half drawn uniformly, the second half
     * their mirrors T − 1 − t; an odd last entry is drawn on its own.
     *
     * @param r    the generator (advanced by one draw per pair, plus one for an odd size)
     * @param out  one entry per sample; overwritten
     * @param numT T
     */
    public static void antithetic(SplittableRandom r, int[] out, int numT) {
        int half = out.length / 2;
        for (int i = 0; i < half; i++) {
            out[i] = r.nextInt(numT);
            out[half + i] = numT - 1 - out[i];
        }
        if (out.length % 2 == 1) {
            out[out.length - 1] = r.nextInt(numT);
        }
    }
}
