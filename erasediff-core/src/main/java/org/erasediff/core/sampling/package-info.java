/**
 * Samplers that turn noise into images (ancestral DDPM, generalised DDIM, DPM-Solver++(2M),
 * classifier-free guidance), written against the
 * {@link org.erasediff.core.sampling.NoisePredictor} interface and independent of any network
 * library.
 */
package org.erasediff.core.sampling;
