/**
 * The reference diffusion UNet as a SameDiff graph.
 *
 * <p>{@link org.erasediff.dl4j.unet.UNetConfig} describes the network (validated, JSON
 * round-trippable), {@link org.erasediff.dl4j.unet.UNetBuilder} turns it into a
 * {@code SameDiff} graph with the placeholders {@code x}, {@code t}, {@code label} and the output
 * {@code eps}, {@link org.erasediff.dl4j.unet.UNetCost} gives its parameter count and forward
 * FLOPs in closed form, and {@link org.erasediff.dl4j.unet.GroupNorm} is the GroupNorm
 * composition (ND4J 1.0.0-M2.1 has no GroupNorm op) used in every block.
 * {@link org.erasediff.dl4j.unet.UNetInference} is the same network's forward written out by
 * hand for inference (channels-last convolutions, one-pass GroupNorm), which model files with a
 * UNet config use for sampling and evaluation.
 */
package org.erasediff.dl4j.unet;
