/**
 * The mathematics and configuration of EraseDiff (Wu et al., "EraseDiff: Erasing Data Influence in
 * Diffusion Models"), independent of any network library.
 *
 * <ul>
 *   <li>{@link org.erasediff.core.unlearn.ForgetTarget}: what the forgetting loss regresses onto
 *       (uniform noise, a pseudo-label's prediction, shifted Gaussian noise) and the random draws
 *       it needs;</li>
 *   <li>{@link org.erasediff.core.unlearn.LambdaRule} and {@link
 *       org.erasediff.core.unlearn.GradientStats}: how the multiplier λ is chosen from the
 *       gradients of the remaining loss F and the constraint q;</li>
 *   <li>{@link org.erasediff.core.unlearn.ConstrainedDirection}: the update direction
 *       δ = ∇F + λ∇q, computed in place on per-parameter gradient lists;</li>
 *   <li>{@link org.erasediff.core.unlearn.EraseDiffConfig}: every setting of a run, validated and
 *       JSON-round-trippable, with early stopping in {@link
 *       org.erasediff.core.unlearn.EarlyStopSettings} and {@link
 *       org.erasediff.core.unlearn.EarlyStopTracker}.</li>
 * </ul>
 * The optimiser that runs the graph and calls these lives in the DL4J plugin.
 */
package org.erasediff.core.unlearn;
