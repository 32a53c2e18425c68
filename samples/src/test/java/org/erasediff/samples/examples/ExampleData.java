package org.erasediff.samples.examples;

import java.util.stream.IntStream;
import org.erasediff.core.data.LabelledImages;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.TestDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/** Tiny inputs for the examples' tests. */
final class ExampleData {
    private ExampleData() {
    }

    /** The images as a DL4J iterator: NCHW features in [−1, 1], one-hot labels, batches of {@code batch}. */
    static DataSetIterator iterator(LabelledImages images, int batch) {
        INDArray x = Nd4j.create(DataType.FLOAT, images.size(), images.channels(), images.height(), images.width());
        images.copyScaled(IntStream.range(0, images.size()).toArray(), x, null);
        INDArray y = Nd4j.zeros(DataType.FLOAT, images.size(), images.numClasses());
        for (int i = 0; i < images.size(); i++) {
            y.putScalar(i, images.label(i), 1);
        }
        return new TestDataSetIterator(new DataSet(x, y), batch);
    }
}
