package org.erasediff.eval.classifier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.erasediff.core.data.LabelledImages;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MnistClassifierNetworkTest {

    /** Two trivially separable classes: dark images (label 0) and bright images (label 1). */
    private static LabelledImages darkAndBright(int n) {
        byte[] px = new byte[n * 784];
        int[] labels = new int[n];
        int[] ids = new int[n];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            ids[i] = i;
            for (int k = 0; k < 784; k++) {
                px[i * 784 + k] = (byte) (labels[i] == 0 ? r.nextInt(60) : 195 + r.nextInt(60));
            }
        }
        return new LabelledImages("dark-bright", 1, 28, 28, 10, px, labels, ids);
    }

    @Test
    void outputsProbabilitiesAndFeatures() {
        SameDiffClassifier c = MnistClassifierNetwork.wrap(MnistClassifierNetwork.build(1));
        INDArray images = Nd4j.rand(DataType.FLOAT, 12, 1, 28, 28).muli(2).subi(1);
        SameDiffClassifier.Outputs out = c.classify(images);
        assertArrayEquals(new long[] {12, 10}, out.probabilities().shape());
        assertArrayEquals(new long[] {12, MnistClassifierNetwork.FEATURE_SIZE}, out.features().shape());
        INDArray sums = out.probabilities().sum(1);
        for (int i = 0; i < 12; i++) {
            assertEquals(1.0, sums.getDouble(i), 1e-4);
        }
    }

    @Test
    void chunkedPooledClassificationEqualsOneSameDiffCallPerChunk() {
        SameDiff sd = MnistClassifierNetwork.build(2);
        SameDiffClassifier c = new SameDiffClassifier(sd, MnistClassifierNetwork.IMAGE,
                MnistClassifierNetwork.PROBABILITIES, MnistClassifierNetwork.FEATURES, 8);
        INDArray images = Nd4j.rand(DataType.FLOAT, 21, 1, 28, 28).muli(2).subi(1); // chunks of 8, 8 and 5
        INDArray before = images.dup();
        for (int call = 0; call < 2; call++) { // the second call starts with a fresh pool
            SameDiffClassifier.Outputs out = c.classify(images);
            for (int start = 0; start < 21; start += 8) {
                int end = Math.min(21, start + 8);
                java.util.Map<String, INDArray> expected = sd.output(java.util.Map.of(MnistClassifierNetwork.IMAGE,
                        images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(start, end)).dup()),
                        MnistClassifierNetwork.PROBABILITIES, MnistClassifierNetwork.FEATURES);
                assertBitEqual(expected.get(MnistClassifierNetwork.PROBABILITIES),
                        out.probabilities().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(start, end)));
                assertBitEqual(expected.get(MnistClassifierNetwork.FEATURES).reshape(end - start, -1),
                        out.features().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(start, end)));
            }
        }
        assertBitEqual(before, images);
    }

    private static void assertBitEqual(INDArray expected, INDArray actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        assertArrayEquals(expected.dup().data().asFloat(), actual.dup().data().asFloat());
    }

    @Test
    void trainingLearnsASeparableTask() {
        LabelledImages data = darkAndBright(256);
        SameDiffClassifier untrained = MnistClassifierNetwork.wrap(MnistClassifierNetwork.build(5));
        SameDiff trained = ClassifierTrainer.train(data, new ClassifierTrainer.Settings(1, 32, 1e-3, 5));
        assertFalse(trained.isEnableCache() || trained.getFunction("grad").isEnableCache(),
                "trained with SameDiff's array cache off (it corrupts gradients in M2.1)");
        double acc = MnistClassifierNetwork.wrap(trained).accuracy(data);
        assertTrue(acc > 0.98, "accuracy after training " + acc);
        assertTrue(untrained.accuracy(data) < 0.9, "an untrained net should not already solve the task");
    }

    @Test
    void rejectsUnknownNamesAndBadSettings() {
        SameDiff sd = MnistClassifierNetwork.build(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SameDiffClassifier(sd, "img", MnistClassifierNetwork.PROBABILITIES,
                        MnistClassifierNetwork.FEATURES, 10));
        assertTrue(e.getMessage().contains("'img'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SameDiffClassifier(sd, MnistClassifierNetwork.FEATURES,
                MnistClassifierNetwork.PROBABILITIES, MnistClassifierNetwork.FEATURES, 10));
        assertThrows(IllegalArgumentException.class, () -> new ClassifierTrainer.Settings(0, 1, 1e-3, 1));
        assertThrows(IllegalArgumentException.class, () -> new ClassifierTrainer.Settings(1, 1, -1, 1));
    }
}
