/**
 * The evaluation classifier ψ: a wrapper that turns any SameDiff image classifier into class
 * probabilities and penultimate features ({@link org.erasediff.eval.classifier.SameDiffClassifier}),
 * the reference MNIST CNN, and its trainer; the second judge ψ_SA, a replica of Selective
 * Amnesia's MNIST classifier ({@link org.erasediff.eval.classifier.SaClassifierNetwork}, trained by
 * {@link org.erasediff.eval.classifier.SaClassifierTrainer}), with batch normalisation composed
 * from SameDiff ops ({@link org.erasediff.eval.classifier.ComposedBatchNorm}).
 */
package org.erasediff.eval.classifier;
