/**
 * The gradient machinery every method shares: the weighted denoising loss added to a graph, the
 * engine that computes its loss and the trainable parameters' gradients in preallocated buffers,
 * and the hand-applied ND4J updater with its own state and update count.
 */
package org.erasediff.dl4j.engine;
