/**
 * The one training loop: {@link org.erasediff.dl4j.loop.TrainingLoop} runs any
 * {@link org.erasediff.dl4j.loop.StepAlgorithm} (DDPM training, EraseDiff in both modes, the
 * baselines) over a {@link org.erasediff.dl4j.loop.LoopState} and owns step counting, clipping,
 * the updater, the EMA, the NaN policy with rollback, atomic checkpoints with exact resume,
 * listeners, early stopping, progress and typed provenance
 * ({@link org.erasediff.dl4j.loop.RunProvenance}).
 */
package org.erasediff.dl4j.loop;
