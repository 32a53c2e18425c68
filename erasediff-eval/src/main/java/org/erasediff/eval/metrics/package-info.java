/**
 * Metrics for diffusion unlearning, computed on plain arrays (feature or probability matrices
 * as {@code double[][]} or ND4J {@code INDArray}), independent of how the images were generated
 * or the features extracted.
 *
 * <ul>
 *   <li>Forgetting: {@link org.erasediff.eval.metrics.ClassifierMetrics} (mean probability of
 *       the forgotten class, argmax rate, entropy, accuracy).</li>
 *   <li>Quality: {@link org.erasediff.eval.metrics.FrechetDistance} (FID on any features),
 *       {@link org.erasediff.eval.metrics.KernelInceptionDistance} (KID) and
 *       {@link org.erasediff.eval.metrics.PrecisionRecall} (improved precision and recall).</li>
 *   <li>Models and runs: {@link org.erasediff.eval.metrics.WeightDistance},
 *       {@link org.erasediff.eval.metrics.MemorisationCheck},
 *       {@link org.erasediff.eval.metrics.RunCost} and
 *       {@link org.erasediff.eval.metrics.PeakMemory}.</li>
 * </ul>
 *
 * <p>All computations run in double precision on the JVM heap; inputs are never modified.
 */
package org.erasediff.eval.metrics;
