/**
 * Listeners of the training loop: the {@link org.erasediff.dl4j.listen.RunListener} interface
 * with the {@link org.erasediff.dl4j.listen.RunContext} it receives and the per-step
 * {@link org.erasediff.dl4j.listen.StepMetrics}; ready-made listeners (metrics history,
 * forgetting-target stop, per-op timing); and the bridge that calls standard SameDiff
 * {@link org.nd4j.autodiff.listeners.Listener}s from the project's own loop with real iteration
 * numbers, batches and loss values.
 */
package org.erasediff.dl4j.listen;
