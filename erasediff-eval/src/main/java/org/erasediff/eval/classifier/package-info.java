/**
 * The evaluation classifier ψ: a wrapper that turns any SameDiff image classifier into class
 * probabilities and penultimate features ({@link org.erasediff.eval.classifier.SameDiffClassifier}),
 * the reference MNIST CNN, and its trainer.
 */
package org.erasediff.eval.classifier;
