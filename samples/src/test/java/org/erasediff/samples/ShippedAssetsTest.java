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
    void shippedClassifierIsAccurate() throws IOException {
        LabelledImages test = ShippedAssets.mnist(Mnist.Split.TEST);
        LabelledImages first = test.subset(IntStream.range(0, 1000).toArray(), "first-1000");
        double acc = MnistClassifierNetwork.wrap(ShippedAssets.model(null, ShippedAssets.CLASSIFIER)).accuracy(first);
        assertTrue(acc >= 0.98, "shipped classifier accuracy on 1,000 test images: " + acc);
    }
}
