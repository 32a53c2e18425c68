package org.erasediff.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.stream.IntStream;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.data.Mnist;
import org.erasediff.eval.classifier.MnistClassifierNetwork;
import org.junit.jupiter.api.Test;

class ShippedAssetsTest {

    @Test
    void embeddedMnistLoadsWithVerifiedChecksums() {
        LabelledImages test = ShippedAssets.mnist(Mnist.Split.TEST);
        assertEquals(10_000, test.size());
        int[] counts = test.classCounts();
        assertEquals(980, counts[0]);
        assertEquals(1135, counts[1]);
        assertEquals(7, test.label(0));
    }

    @Test
    void shippedDiffusionModelLoadsWithItsCardAndChecksum() throws IOException {
        ShippedAssets.LoadedModel m = ShippedAssets.diffusionModel(null);
        assertEquals(m.card().modelSha256(), m.sha256(), "the card names the shipped file's SHA-256");
        assertTrue(m.graph().isConditional());
        assertEquals(10, m.graph().spec().numClasses());
        org.nd4j.linalg.api.ndarray.INDArray x = org.nd4j.linalg.factory.Nd4j.randn(
                org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 1, 28, 28);
        org.nd4j.linalg.api.ndarray.INDArray eps = m.graph().predictNoise(x, new int[] {999, 999, 999, 999},
                new int[] {0, 1, 2, -1});
        // at t = 999, x_t is almost pure noise: a trained model predicts it back closely
        double mse = eps.sub(x).norm2Number().doubleValue();
        mse = mse * mse / x.length();
        assertTrue(mse < 0.05, "noise prediction error at t = 999: " + mse);
    }

    @Test
    void shippedClassifierIsAccurate() throws IOException {
        LabelledImages test = ShippedAssets.mnist(Mnist.Split.TEST);
        LabelledImages first = test.subset(IntStream.range(0, 1000).toArray(), "first-1000");
        double acc = MnistClassifierNetwork.wrap(ShippedAssets.model(null, ShippedAssets.CLASSIFIER)).accuracy(first);
        assertTrue(acc >= 0.98, "shipped classifier accuracy on 1,000 test images: " + acc);
    }
}
