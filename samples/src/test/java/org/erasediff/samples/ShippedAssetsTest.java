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

    @Test
    void shippedSaJudgeIsAccurateAndInInferenceMode() throws IOException {
        LabelledImages test = ShippedAssets.mnist(Mnist.Split.TEST);
        LabelledImages first = test.subset(IntStream.range(0, 1000).toArray(), "first-1000");
        org.nd4j.autodiff.samediff.SameDiff sd = ShippedAssets.model(null, ShippedAssets.CLASSIFIER_SA);
        // the inference graph: no dropout masks, no label; running statistics, not batch statistics
        assertTrue(!sd.hasVariable(org.erasediff.eval.classifier.SaClassifierNetwork.CONV_DROP_MASK)
                && !sd.hasVariable(org.erasediff.eval.classifier.SaClassifierNetwork.LABEL));
        var judge = org.erasediff.eval.classifier.SaClassifierNetwork.wrap(sd);
        double acc = judge.accuracy(first);
        // 0.974 on all 10,000 (provenance), 0.968 on these harder first 1,000
        assertTrue(acc >= 0.96, "shipped ψ_SA accuracy on 1,000 test images: " + acc);
        // running statistics: an image's prediction does not depend on the other images of its batch
        org.nd4j.linalg.api.ndarray.INDArray batch = org.nd4j.linalg.factory.Nd4j.create(
                org.nd4j.linalg.api.buffer.DataType.FLOAT, 8, 1, 28, 28);
        first.copyScaled(IntStream.range(0, 8).toArray(), batch, null);
        org.nd4j.linalg.api.ndarray.INDArray all = judge.classify(batch).probabilities();
        org.nd4j.linalg.api.ndarray.INDArray one = judge.classify(batch.get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1))).probabilities();
        assertTrue(one.getRow(0).equalsWithEps(all.getRow(0), 1e-5), one + " vs " + all.getRow(0));
    }
}
