/**
 * Unlearning for SameDiff diffusion graphs: the {@link org.erasediff.dl4j.unlearn.Unlearner}
 * interface, the EraseDiff optimizer (the paper's constrained two-loss update and a mode that
 * reproduces the authors' code path), its per-step metrics and result with provenance.
 */
package org.erasediff.dl4j.unlearn;
