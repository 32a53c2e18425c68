/**
 * Shipped assets of the samples: the embedded MNIST data and the trained models (with their
 * provenance files), loaded from the classpath.
 */
package org.erasediff.samples;
