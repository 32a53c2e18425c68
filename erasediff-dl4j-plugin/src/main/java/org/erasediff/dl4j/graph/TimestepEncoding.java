package org.erasediff.dl4j.graph;

/** How a graph takes the diffusion timestep t ∈ [0, T). */
public enum TimestepEncoding {
    /** INT32 placeholder {@code [B]} holding the integer index t. */
    INDEX_INT,
    /** FLOAT placeholder {@code [B]} holding t as a float. */
    INDEX_FLOAT,
    /**
     * FLOAT placeholder {@code [B, width]} holding the sinusoidal embedding computed outside the
     * graph: {@code [sin(t·f_0..f_{h−1}), cos(t·f_0..f_{h−1})]} with {@code h = width/2} and
     * {@code f_i = exp(−ln(10000)·i/h)}.
     */
    SINUSOIDAL
}
