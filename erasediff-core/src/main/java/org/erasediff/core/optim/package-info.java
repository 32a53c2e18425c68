/**
 * Optimisation building blocks on lists of per-parameter arrays, independent of any network
 * library: inner products, norms and in-place vector updates ({@link
 * org.erasediff.core.optim.GradientVectors}), global-norm gradient clipping ({@link
 * org.erasediff.core.optim.GradientClipping}), an exponential moving average of parameters
 * ({@link org.erasediff.core.optim.ExponentialMovingAverage}) and the plain configuration
 * values an optimiser needs (updater settings, NaN policy, trainable-parameter selection).
 *
 * <p>A "vector" here is a {@code List<INDArray>}: one array per parameter, in a fixed order that
 * every list passed to the same call shares. Reductions accumulate in double precision; updates
 * are done in place and allocate nothing but scalars, so they can run inside a training loop.
 */
package org.erasediff.core.optim;
