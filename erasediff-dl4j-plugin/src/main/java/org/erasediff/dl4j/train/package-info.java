/**
 * DDPM training as a method of the shared loop: its config, its step (label dropout, antithetic
 * timesteps, Gaussian noise) and the warm-up + cosine learning-rate schedule, with
 * {@link org.erasediff.dl4j.train.DdpmTrainer} as the entry point.
 */
package org.erasediff.dl4j.train;
