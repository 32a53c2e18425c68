/**
 * Scoring for hyperparameter sweeps: {@link org.erasediff.eval.sweep.EvaluatorScorer} implements the
 * plugin's {@link org.erasediff.dl4j.sweep.SweepScorer} with a
 * {@link org.erasediff.eval.generate.ModelEvaluator} (generated samples, both judges' forgetting
 * figures, FID on the kept classes), and {@link org.erasediff.eval.sweep.SweepReport} draws a sweep's
 * Pareto plot and table.
 */
package org.erasediff.eval.sweep;
