package org.erasediff.dl4j.graph;

/**
 * The sinusoidal timestep embedding of the DDPM paper, computed outside the graph for
 * {@link TimestepEncoding#SINUSOIDAL}: row i is {@code [sin(t_i·f_0..f_{h−1}), cos(t_i·f_0..f_{h−1})]}
 * with {@code h = width/2} and {@code f_k = exp(−ln(10000)·k/h)}.
 */
public final class SinusoidalEmbedding {

    private SinusoidalEmbedding() {
    }

    /**
     * Writes the embeddings of {@code timesteps} row by row into {@code out}.
     *
     * @param timesteps the timesteps
     * @param width     embedding width (even)
     * @param out       at least {@code timesteps.length·width} floats, overwritten
     */
    public static void fill(int[] timesteps, int width, float[] out) {
        int half = width / 2;
        for (int i = 0; i < timesteps.length; i++) {
            for (int k = 0; k < half; k++) {
                double arg = timesteps[i] * Math.exp(-Math.log(10000.0) * k / half);
                out[i * width + k] = (float) Math.sin(arg);
                out[i * width + half + k] = (float) Math.cos(arg);
            }
        }
    }
}
