package org.erasediff.eval.classifier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.dl4j.checkpoint.GraphFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SaClassifierNetworkTest {

    @TempDir
    Path dir;

    /** Two separable classes: dark images (label 0) and bright images (label 1). */
    static LabelledImages darkAndBright(int n) {
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
    void inferenceGraphOutputsProbabilitiesAndFiftyFeatures() {
        SameDiffClassifier c = SaClassifierNetwork.wrap(SaClassifierNetwork.buildInference(1));
        INDArray images = Nd4j.rand(DataType.FLOAT, 7, 1, 28, 28).muli(2).subi(1);
        SameDiffClassifier.Outputs out = c.classify(images);
        assertArrayEquals(new long[] {7, 10}, out.probabilities().shape());
        assertArrayEquals(new long[] {7, SaClassifierNetwork.FEATURE_SIZE}, out.features().shape());
        INDArray sums = out.probabilities().sum(1);
        for (int i = 0; i < 7; i++) {
            assertEquals(1.0, sums.getDouble(i), 1e-5);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SaClassifierNetwork.wrap(SaClassifierNetwork.buildTraining(1)));
        assertTrue(e.getMessage().contains("training graph"), e.getMessage());
    }

    @Test
    void inferenceWithTheBatchStatisticsEqualsTrainingWithoutDropout() {
        SameDiff training = SaClassifierNetwork.buildTraining(4);
        INDArray images = Nd4j.rand(DataType.FLOAT, 16, 1, 28, 28).muli(2).subi(1);
        Map<String, INDArray> in = new HashMap<>();
        in.put(SaClassifierNetwork.IMAGE, images);
        in.put(SaClassifierNetwork.CONV_DROP_MASK, Nd4j.ones(DataType.FLOAT, 16, 20, 1, 1));
        in.put(SaClassifierNetwork.FC_DROP_MASK, Nd4j.ones(DataType.FLOAT, 16, SaClassifierNetwork.FEATURE_SIZE));
        Map<String, INDArray> out = training.output(in, SaClassifierNetwork.PROBABILITIES,
                ComposedBatchNorm.meanName("bn1"), ComposedBatchNorm.varianceName("bn1"),
                ComposedBatchNorm.meanName("bn2"), ComposedBatchNorm.varianceName("bn2"));
        Map<String, INDArray> running = new HashMap<>();
        for (SaClassifierNetwork.Norm n : SaClassifierNetwork.MOMENTS) {
            running.put(n.runningMean(), out.get(ComposedBatchNorm.meanName(n.name())));
            // the inference graph divides by √(var + ε) like training does with the biased batch variance
            running.put(n.runningVar(), out.get(ComposedBatchNorm.varianceName(n.name())));
        }
        SameDiff inference = SaClassifierNetwork.inferenceFrom(training, running);
        INDArray p = SaClassifierNetwork.wrap(inference).classify(images).probabilities();
        assertTrue(p.equalsWithEps(out.get(SaClassifierNetwork.PROBABILITIES), 1e-5));
        // with a dropped channel the training graph's output differs (the mask is applied)
        INDArray mask = Nd4j.ones(DataType.FLOAT, 16, 20, 1, 1).muli(2);
        mask.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 10))
                .assign(0);
        in.put(SaClassifierNetwork.CONV_DROP_MASK, mask);
        assertNotEquals(out.get(SaClassifierNetwork.PROBABILITIES),
                training.outputSingle(in, SaClassifierNetwork.PROBABILITIES));
    }

    @Test
    void trainsASeparableTaskAndSavedGraphsAgree() throws IOException {
        LabelledImages data = darkAndBright(200);
        SaClassifierTrainer.Result r = SaClassifierTrainer.train(data, data,
                new SaClassifierTrainer.Settings(2, 64, 3e-3, 1, 0.5, 0.1, 5), null);
        assertEquals(2 * 4, r.steps(), "200 images in batches of 64: 4 steps per epoch, the last of 8");
        assertEquals(2, r.epochs().size());
        double acc = SaClassifierNetwork.wrap(r.inference()).accuracy(data);
        assertTrue(acc > 0.98, "accuracy after training " + acc);
        assertEquals(acc, r.epochs().get(1).testAccuracy(), 1e-12);
        INDArray runVar = r.inference().getArrForVarName(SaClassifierNetwork.MOMENTS.get(0).runningVar());
        assertTrue(runVar.sub(1).amaxNumber().doubleValue() > 1e-3, "running variance updated: " + runVar);
        Path file = dir.resolve("sa.fb");
        GraphFiles.save(r.inference(), file, false);
        INDArray images = Nd4j.rand(DataType.FLOAT, 5, 1, 28, 28);
        assertEquals(SaClassifierNetwork.wrap(r.inference()).classify(images).probabilities(),
                SaClassifierNetwork.wrap(GraphFiles.load(file, false)).classify(images).probabilities());
    }

    @Test
    void aResumedRunEqualsAnUninterruptedOne() throws IOException {
        LabelledImages data = darkAndBright(150);
        SaClassifierTrainer.Settings s = new SaClassifierTrainer.Settings(3, 64, 1e-3, 2, 0.1, 0.1, 9);
        SaClassifierTrainer.Result full = SaClassifierTrainer.train(data, null, s, dir.resolve("a"));
        try (Stream<Path> kept = Files.list(dir.resolve("a"))) {
            assertEquals(java.util.List.of("epoch-002", "epoch-003"),
                    kept.map(p -> p.getFileName().toString()).sorted().toList(), "the newest two are kept");
        }
        // a run interrupted during epoch 3: only the checkpoint of epoch 2 is there
        Path b = dir.resolve("b");
        Files.createDirectories(b);
        copyTree(dir.resolve("a").resolve("epoch-002"), b.resolve("epoch-002"));
        SaClassifierTrainer.Result resumed = SaClassifierTrainer.train(data, null, s, b);
        assertEquals(2, resumed.resumedAfter());
        assertEquals(3, resumed.epochs().size());
        for (SDVariable v : full.inference().variables()) {
            if (!v.isPlaceHolder()) {
                assertEquals(v.getArr(), resumed.inference().getArrForVarName(v.name()), v.name());
            }
        }
        assertEquals(full.epochs().get(1), resumed.epochs().get(1), "history read back from the checkpoint");
        assertEquals(full.epochs().get(2).meanLoss(), resumed.epochs().get(2).meanLoss(), 1e-12);
        // a checkpoint of other settings is refused
        assertThrows(IllegalStateException.class, () -> SaClassifierTrainer.train(data, null,
                new SaClassifierTrainer.Settings(4, 64, 1e-3, 2, 0.1, 0.1, 10), b));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }
}
