/**
 * Public test fixtures that need a judge: a hand-made classifier for the stripes data set of
 * {@link org.erasediff.testing.TinyGraphs} and assertions such as "this class is forgotten by this
 * judge", shipped as the {@code tests} jar of erasediff-eval. They throw {@link AssertionError}
 * and need no test framework.
 */
package org.erasediff.testing.eval;
