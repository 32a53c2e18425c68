/**
 * Small example programs on the library API, each compiled and run by a test on tiny data:
 * {@link org.erasediff.samples.examples.QuickStart} (wrap your own SameDiff graph, read data from
 * a DL4J iterator, unlearn a class; shown verbatim in the README),
 * {@link org.erasediff.samples.examples.UnlearnImages} (forget specific images by sample id) and
 * {@link org.erasediff.samples.examples.WithSameDiffListeners} (SameDiff's {@code ScoreListener},
 * {@code CheckpointListener} and {@code UIListener} on an unlearning run).
 */
package org.erasediff.samples.examples;
