package org.erasediff.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.TestDataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.TestMultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

class IteratorImagesTest {

    /** Ten 3×3×3 images with distinct pixel values 0..255 and labels i % 3. */
    private static LabelledImages original() {
        int n = 10;
        byte[] px = new byte[n * 27];
        for (int k = 0; k < px.length; k++) {
            px[k] = (byte) ((k * 37) % 256);
        }
        int[] labels = IntStream.range(0, n).map(i -> i % 3).toArray();
        return new LabelledImages("orig", 3, 3, 3, 3, px, labels, IntStream.range(0, n).toArray());
    }

    private static INDArray scaled(LabelledImages d) {
        INDArray x = Nd4j.create(DataType.FLOAT, d.size(), d.channels(), d.height(), d.width());
        d.copyScaled(IntStream.range(0, d.size()).toArray(), x, null);
        return x;
    }

    private static INDArray oneHot(int[] labels, int classes) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, labels.length, classes);
        for (int i = 0; i < labels.length; i++) {
            y.putScalar(i, labels[i], 1);
        }
        return y;
    }

    private static DataSetIterator iterator(INDArray features, INDArray labels, int batch) {
        return new TestDataSetIterator(new DataSet(features, labels), batch);
    }

    private static void assertSameImages(LabelledImages expected, LabelledImages actual) {
        assertEquals(expected.size(), actual.size());
        assertArrayEquals(expected.labels(), actual.labels());
        for (int i = 0; i < expected.size(); i++) {
            for (int k = 0; k < expected.imageSize(); k++) {
                assertEquals(expected.pixel(i, k), actual.pixel(i, k), "image " + i + " pixel " + k);
            }
        }
    }

    @Test
    void oneHotAndIndexLabelsInBothRangesGiveTheSamePixels() {
        LabelledImages d = original();
        INDArray x = scaled(d);
        IteratorImages signed = new IteratorImages(3, PixelRange.SIGNED_UNIT);
        DataSetIterator partlyRead = iterator(x, oneHot(d.labels(), 3), 4);
        partlyRead.next();
        LabelledImages a = signed.read("a", partlyRead);
        assertSameImages(d, a);
        assertArrayEquals(d.ids(), a.ids());
        INDArray index = Nd4j.createFromArray(d.labels()).castTo(DataType.FLOAT).reshape(-1, 1);
        LabelledImages b = new IteratorImages(3, PixelRange.UNIT).read("b", iterator(x.add(1).divi(2), index, 3));
        assertSameImages(d, b);
    }

    @Test
    void multiDataSetIteratorsPickTheirArrays() {
        LabelledImages d = original();
        INDArray x = scaled(d);
        INDArray y = oneHot(d.labels(), 3);
        org.nd4j.linalg.dataset.MultiDataSet mds = new org.nd4j.linalg.dataset.MultiDataSet(
                new INDArray[] {Nd4j.zeros(DataType.FLOAT, 10, 2), x}, new INDArray[] {y});
        IteratorImages reader = new IteratorImages(3, PixelRange.SIGNED_UNIT);
        assertSameImages(d, reader.read("m", new TestMultiDataSetIterator(4, mds), 1, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> reader.read("m", new TestMultiDataSetIterator(4, mds), 1, 1));
        assertTrue(e.getMessage().contains("has 1 labels array(s), no index 1"), e.getMessage());
    }

    @Test
    void aSplitFromTwoIteratorsHasDisjointIds() {
        LabelledImages d = original();
        INDArray x = scaled(d);
        INDArray y = oneHot(d.labels(), 3);
        ForgetRemainSplit s = new IteratorImages(3, PixelRange.SIGNED_UNIT).split(iterator(x, y, 5),
                iterator(x, y, 5));
        assertArrayEquals(IntStream.range(0, 10).toArray(), s.forget().ids());
        assertArrayEquals(IntStream.range(10, 20).toArray(), s.remain().ids());
        ForgetRemainSplit byClass = ForgetRemainSplit.byClasses(
                new IteratorImages(3, PixelRange.SIGNED_UNIT).read("all", iterator(x, y, 3)), List.of(1));
        assertArrayEquals(new int[] {1, 4, 7}, byClass.forget().ids());
    }

    @Test
    void badBatchesFailWithTheReason() {
        LabelledImages d = original();
        INDArray x = scaled(d);
        INDArray y = oneHot(d.labels(), 3);
        IteratorImages reader = new IteratorImages(3, PixelRange.SIGNED_UNIT);
        assertMessage("features must be NCHW images [N, C, H, W], found [4, 27] (flattened rows:",
                () -> reader.read("d", iterator(x.reshape(10, 27), y, 4)));
        assertMessage("images must have 1 or 3 channels",
                () -> reader.read("d", iterator(x.reshape(10, 9, 1, 3), y, 4)));
        assertMessage("is outside [-1, 1]", () -> reader.read("d", iterator(x.mul(255), y, 4)));
        assertMessage("labels have 4 columns, expected 3",
                () -> reader.read("d", iterator(x, Nd4j.zeros(DataType.FLOAT, 10, 4), 4)));
        assertMessage("is not one-hot", () -> reader.read("d", iterator(x, y.mul(0.5), 4)));
        assertMessage("label of image 0 is 7.0, expected a class index 0..2",
                () -> reader.read("d", iterator(x, Nd4j.valueArrayOf(new long[] {10, 1}, 7f), 4)));
        DataSetIterator twoShapes = new Batches(List.of(new DataSet(x, y),
                new DataSet(Nd4j.zeros(DataType.FLOAT, 2, 1, 3, 3), oneHot(new int[] {0, 1}, 3))));
        assertMessage("batch 1: images are 1x3x3 but earlier batches' are 3x3x3",
                () -> reader.read("d", twoShapes));
        assertMessage("the iterator gave no images", () -> reader.read("d", new Batches(List.of())));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** Hands out the given batches as they are (TestDataSetIterator merges a list first). */
    private static final class Batches implements DataSetIterator {
        private static final long serialVersionUID = 1L;
        private final List<DataSet> batches;
        private int next;

        Batches(List<DataSet> batches) {
            this.batches = batches;
        }

        @Override
        public boolean hasNext() {
            return next < batches.size();
        }

        @Override
        public DataSet next() {
            return batches.get(next++);
        }

        @Override
        public DataSet next(int num) {
            return next();
        }

        @Override
        public int inputColumns() {
            return 0;
        }

        @Override
        public int totalOutcomes() {
            return 0;
        }

        @Override
        public boolean resetSupported() {
            return true;
        }

        @Override
        public boolean asyncSupported() {
            return false;
        }

        @Override
        public void reset() {
            next = 0;
        }

        @Override
        public int batch() {
            return 0;
        }

        @Override
        public void setPreProcessor(org.nd4j.linalg.dataset.api.DataSetPreProcessor preProcessor) {
            // a fixed test double: IteratorImages reads batches as given and never sets a pre-processor
            throw new UnsupportedOperationException("this test iterator takes no pre-processor");
        }

        @Override
        public org.nd4j.linalg.dataset.api.DataSetPreProcessor getPreProcessor() {
            return null;
        }

        @Override
        public List<String> getLabels() {
            return null;
        }
    }
}
