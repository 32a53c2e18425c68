/**
 * Training machinery shared by DDPM training and the unlearning optimizers: the per-sample
 * weighted denoising loss added to a copy of the user's graph, a gradient engine that reuses
 * SameDiff's fit path for speed, the trainable-parameter set with preallocated buffers,
 * ND4J updaters driven by hand, learning-rate schedules, and the DDPM trainer.
 */
package org.erasediff.dl4j.train;
