/**
 * Listeners: the bridge that calls standard SameDiff {@link org.nd4j.autodiff.listeners.Listener}s
 * from the project's own training loops with real iteration numbers and loss values, and the
 * EraseDiff listener interface with its ready-made implementations.
 */
package org.erasediff.dl4j.listen;
