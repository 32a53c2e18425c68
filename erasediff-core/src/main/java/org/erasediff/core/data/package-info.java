/**
 * Labelled image data: the idx reader (MNIST format) with integrity checks, an image-folder
 * reader for users' own data, DL4J {@code DataSetIterator}/{@code MultiDataSetIterator} batches
 * ({@link org.erasediff.core.data.IteratorImages}), the immutable {@link org.erasediff.core.data.LabelledImages} set,
 * forget/remain splits by class or by sample id, and seeded batching into ND4J arrays scaled to
 * [−1, 1].
 */
package org.erasediff.core.data;
