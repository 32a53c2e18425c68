/**
 * Public test fixtures for projects that use EraseDiff: tiny diffusion graphs (one of them
 * generating its data set exactly) and a tiny labelled data set, shipped as the {@code tests} jar
 * of erasediff-dl4j-plugin. Judge-based assertions live in {@code org.erasediff.testing.eval}
 * (the {@code tests} jar of erasediff-eval).
 */
package org.erasediff.testing;
