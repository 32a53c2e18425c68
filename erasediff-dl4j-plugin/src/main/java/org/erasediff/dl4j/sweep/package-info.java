/**
 * Hyperparameter sweeps of any {@link org.erasediff.dl4j.unlearn.Unlearner} with Arbiter: parameter
 * spaces for EraseDiff ({@link org.erasediff.dl4j.sweep.EraseDiffSpace}: λ and its rule, K, ξ, the
 * learning rate, the steps and the forget target) and the baselines
 * ({@link org.erasediff.dl4j.sweep.BaselineSpace}); an Arbiter task creator that unlearns each
 * candidate on a copy of the base graph ({@link org.erasediff.dl4j.sweep.UnlearningTaskCreator});
 * a data source for the forget/remain split; the scalarised score and the Pareto front
 * ({@link org.erasediff.dl4j.sweep.SweepObjective}); a results file that is written as each
 * candidate finishes and lets a stopped sweep resume ({@link org.erasediff.dl4j.sweep.SweepResults});
 * and the local runner ({@link org.erasediff.dl4j.sweep.LocalSweepRunner}).
 *
 * <p>Training never depends on evaluation: candidates are scored through {@link
 * org.erasediff.dl4j.sweep.SweepScorer}, which an application wires in (erasediff-eval implements
 * it with its generator and judges).
 */
package org.erasediff.dl4j.sweep;
