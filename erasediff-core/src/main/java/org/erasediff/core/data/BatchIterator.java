package org.erasediff.core.data;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Endless, seeded batches from a {@link LabelledImages} set: each epoch is a fresh
 * Fisher–Yates permutation drawn from the iterator's own {@link Random}; a batch that would run
 * past the end of an epoch continues into the next, so every batch is full.
 *
 * <p>The image buffer and the label/id arrays are allocated once and <b>reused</b>: the
 * {@link Batch} returned by {@link #next()} is valid until the following call. The position is a
 * pure function of (seed, batches drawn), so a resumed run can {@link #skip(long)} to where it was.
 */
public final class BatchIterator {

    private final LabelledImages data;
    private final int batchSize;
    private final long seed;
    private final Random rng;
    private final int[] order;
    private final int[] positions;
    private final float[] staging;
    private final Batch batch;
    private int cursor;
    private long drawn;

    /** One batch: images in [−1, 1] {@code [B, C, H, W]}, labels and sample ids; buffers owned by the iterator. */
    public record Batch(INDArray images, int[] labels, int[] ids) {
    }

    /**
     * @param data      the images (at least one)
     * @param batchSize images per batch (&gt; 0; may exceed the set size, images then repeat)
     * @param seed      seed of the shuffling
     */
    public BatchIterator(LabelledImages data, int batchSize, long seed) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("cannot draw batches from the empty set " + data.name());
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be > 0, was " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.seed = seed;
        this.rng = new Random(seed);
        this.order = new int[data.size()];
        this.positions = new int[batchSize];
        this.staging = new float[batchSize * data.imageSize()];
        INDArray images = Nd4j.create(DataType.FLOAT, batchSize, data.channels(), data.height(), data.width());
        this.batch = new Batch(images, new int[batchSize], new int[batchSize]);
        reshuffle();
    }

    /** Fills and returns the next batch (the same {@link Batch} object every call). */
    public Batch next() {
        for (int j = 0; j < batchSize; j++) {
            if (cursor == order.length) {
                reshuffle();
            }
            int p = order[cursor++];
            positions[j] = p;
            batch.labels()[j] = data.label(p);
            batch.ids()[j] = data.id(p);
        }
        data.copyScaled(positions, batch.images(), staging);
        drawn++;
        return batch;
    }

    /** Advances past {@code n} batches without copying pixels (for resuming a run). */
    public void skip(long n) {
        for (long b = 0; b < n; b++) {
            for (int j = 0; j < batchSize; j++) {
                if (cursor == order.length) {
                    reshuffle();
                }
                cursor++;
            }
            drawn++;
        }
    }

    /**
     * Positions the iterator after exactly {@code position} batches from the start, forward or
     * backward (a rollback rewinds, a resume skips ahead); the next batch is then the one an
     * uninterrupted run draws at that position.
     *
     * @param position batches drawn before the next one, {@code >= 0}
     * @throws IllegalArgumentException if {@code position} is negative
     */
    public void seek(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0, was " + position);
        }
        if (position < drawn) {
            rng.setSeed(seed);
            drawn = 0;
            reshuffle();
        }
        skip(position - drawn);
    }

    /** Number of batches drawn (or skipped) so far. */
    public long batchesDrawn() {
        return drawn;
    }

    /** The seed this iterator was created with. */
    public long seed() {
        return seed;
    }

    /** The batch size. */
    public int batchSize() {
        return batchSize;
    }

    private void reshuffle() {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        cursor = 0;
    }
}
