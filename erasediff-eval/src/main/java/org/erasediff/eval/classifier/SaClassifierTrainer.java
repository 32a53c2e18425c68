package org.erasediff.eval.classifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.progress.ProgressMeter;
import org.erasediff.dl4j.checkpoint.AtomicFiles;
import org.erasediff.dl4j.checkpoint.GraphFiles;
import org.erasediff.dl4j.checkpoint.NamedArrays;
import org.erasediff.dl4j.graph.GradientFunctions;
import org.erasediff.dl4j.memory.MemoryGuard;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains ψ_SA ({@link SaClassifierNetwork}) with Selective Amnesia's recipe
 * ({@code vae/train_classifier.py}): Adam (β 0.9/0.999, ε 1e-8), lr 1e-4 multiplied by 0.1 every
 * 5 epochs ({@code StepLR(step_size=5, gamma=0.1)}), batch 64 over a fresh shuffle each epoch
 * with the last, smaller batch kept ({@code drop_last=False}: 938 steps per MNIST epoch), 20
 * epochs, mean negative log-likelihood; batch normalisation with batch statistics and running
 * averages updated after each step (momentum 0.1, unbiased variance), dropout masks drawn per step.
 *
 * <p>Reproducible: epoch {@code e}'s shuffle and dropout masks come from a {@link Random} seeded
 * with {@code (seed, e)}, the initialisation from {@code seed}. With a checkpoint folder, each
 * finished epoch is saved there (training graph with its Adam state, running statistics, the
 * history; the newest two are kept), written to a temporary folder and renamed into place; a later
 * call with the same
 * settings and data resumes after the last saved epoch and gives the same result as an
 * uninterrupted run.
 */
public final class SaClassifierTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(SaClassifierTrainer.class);
    private static final String MODEL = "training.fb";
    private static final String STATS = "running.bin";
    private static final String STATE = "state.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Checkpoints kept: the newest two (the older one in case the newest is damaged). */
    private static final int KEEP = 2;

    /**
     * Training settings.
     *
     * @param epochs       passes over the training set (&gt; 0)
     * @param batchSize    images per step (&gt; 1: batch statistics need two images)
     * @param learningRate initial Adam learning rate (&gt; 0)
     * @param lrStepEpochs epochs between learning-rate decays (&gt; 0)
     * @param lrFactor     factor of each decay, in (0, 1]
     * @param bnMomentum   momentum of the running averages, in (0, 1]
     * @param seed         seed of initialisation, shuffling and dropout
     */
    public record Settings(int epochs, int batchSize, double learningRate, int lrStepEpochs, double lrFactor,
                           double bnMomentum, long seed) {
        /** Validates the ranges. */
        public Settings {
            if (epochs <= 0 || batchSize <= 1 || lrStepEpochs <= 0) {
                throw new IllegalArgumentException("need epochs > 0, batchSize > 1 and lrStepEpochs > 0, found "
                        + epochs + ", " + batchSize + ", " + lrStepEpochs);
            }
            if (!(learningRate > 0) || !(lrFactor > 0 && lrFactor <= 1) || !(bnMomentum > 0 && bnMomentum <= 1)) {
                throw new IllegalArgumentException("need learningRate > 0, lrFactor and bnMomentum in (0, 1], found "
                        + learningRate + ", " + lrFactor + ", " + bnMomentum);
            }
        }

        /** Selective Amnesia's recipe: 20 epochs, batch 64, Adam 1e-4 × 0.1 every 5 epochs, momentum 0.1. */
        public static Settings selectiveAmnesia(long seed) {
            return new Settings(20, 64, 1e-4, 5, 0.1, ComposedBatchNorm.DEFAULT_MOMENTUM, seed);
        }

        /** Learning rate of epoch {@code epoch} (0-based). */
        public double learningRate(int epoch) {
            return learningRate * Math.pow(lrFactor, Math.floor(epoch / (double) lrStepEpochs));
        }
    }

    /**
     * One finished epoch.
     *
     * @param epoch        1-based
     * @param meanLoss     mean training loss over its steps
     * @param testAccuracy accuracy of the inference graph on the test set after it ({@code NaN} without one)
     * @param seconds      its wall time
     */
    public record Epoch(int epoch, double meanLoss, double testAccuracy, double seconds) {
    }

    /**
     * The trained judge.
     *
     * @param inference       the inference graph (running statistics, no dropout)
     * @param epochs          every epoch, including those of earlier, resumed runs
     * @param steps           optimiser steps in all
     * @param resumedAfter    epochs loaded from a checkpoint (0: trained from scratch)
     * @param trainingSeconds wall time of all epochs, including those of earlier runs
     */
    public record Result(SameDiff inference, List<Epoch> epochs, long steps, int resumedAfter,
                         double trainingSeconds) {
    }

    private SaClassifierTrainer() {
    }

    /** Steps per epoch: every image once, the last batch smaller if the size does not divide. */
    public static int stepsPerEpoch(int images, int batchSize) {
        return (images + batchSize - 1) / batchSize;
    }

    /**
     * Trains (or resumes) ψ_SA.
     *
     * @param train       training images (10 classes, 1×28×28)
     * @param test        images scored after every epoch, or {@code null}
     * @param settings    the settings
     * @param checkpoints folder of per-epoch checkpoints, or {@code null} for none
     * @return the result
     * @throws IOException if a checkpoint cannot be written or read
     * @throws IllegalStateException if the checkpoint folder holds a run with other settings or data
     */
    public static Result train(LabelledImages train, LabelledImages test, Settings settings, Path checkpoints)
            throws IOException {
        if (train.channels() != 1 || train.height() != 28 || train.width() != 28 || train.numClasses() != 10) {
            throw new IllegalArgumentException("ψ_SA takes 10 classes of 1×28×28 images, found " + train);
        }
        String dataHash = train.contentHash();
        int perEpoch = stepsPerEpoch(train.size(), settings.batchSize());
        List<Epoch> history = new ArrayList<>();
        Map<String, INDArray> running = initialRunning();
        SameDiff sd;
        int startEpoch = 0;
        Path latest = checkpoints == null ? null : latestCheckpoint(checkpoints);
        if (latest != null) {
            JsonNode state = JSON.readTree(latest.resolve(STATE).toFile());
            requireSame(state, settings, dataHash, latest);
            sd = GraphFiles.load(latest.resolve(MODEL), true);
            running = new HashMap<>(NamedArrays.read(latest.resolve(STATS)));
            startEpoch = state.get("epochs_done").asInt();
            for (JsonNode e : state.get("history")) {
                history.add(new Epoch(e.get("epoch").asInt(), e.get("mean_loss").asDouble(),
                        e.get("test_accuracy").asDouble(Double.NaN), e.get("seconds").asDouble()));
            }
            LOG.info("resuming ψ_SA training after epoch {} from {}", startEpoch, latest);
        } else {
            sd = SaClassifierNetwork.buildTraining(settings.seed());
            sd.setTrainingConfig(new TrainingConfig.Builder()
                    .updater(new Adam(new StepSchedule(ScheduleType.EPOCH, settings.learningRate(),
                            settings.lrFactor(), settings.lrStepEpochs())))
                    .dataSetFeatureMapping(SaClassifierNetwork.IMAGE, SaClassifierNetwork.CONV_DROP_MASK,
                            SaClassifierNetwork.FC_DROP_MASK)
                    .dataSetLabelMapping(SaClassifierNetwork.LABEL)
                    .build());
        }
        // M2.1's array cache hands arrays still in use to later ops (see ClassifierTrainer)
        sd.setEnableCache(false);
        GradientFunctions.create(sd);
        sd.getFunction("grad").setEnableCache(false);
        MomentsCapture capture = new MomentsCapture();
        sd.setListeners(capture);

        long total = (long) perEpoch * settings.epochs();
        long step = (long) perEpoch * startEpoch;
        ProgressMeter meter = new ProgressMeter(LOG, "classifier ψ_SA", total, step, 10);
        MemoryGuard memory = MemoryGuard.fromSystemProperty();
        int n = train.size();
        float[] staging = new float[settings.batchSize() * train.imageSize()];
        for (int epoch = startEpoch; epoch < settings.epochs(); epoch++) {
            long e0 = System.nanoTime();
            Random rng = new Random(epochSeed(settings.seed(), epoch));
            int[] order = permutation(n, rng);
            double lossSum = 0;
            sd.getTrainingConfig().setEpochCount(epoch);
            for (int s = 0; s < perEpoch; s++) {
                int from = s * settings.batchSize();
                int size = Math.min(settings.batchSize(), n - from);
                int[] pos = java.util.Arrays.copyOfRange(order, from, from + size);
                INDArray images = Nd4j.create(DataType.FLOAT, size, 1, 28, 28);
                train.copyScaled(pos, images, staging);
                INDArray oneHot = Nd4j.create(DataType.FLOAT, size, 10);
                for (int j = 0; j < size; j++) {
                    oneHot.putScalar(j, train.label(pos[j]), 1f);
                }
                INDArray convMask = mask(rng, size, 20, 1, 1);
                INDArray fcMask = mask(rng, size, SaClassifierNetwork.FEATURE_SIZE);
                capture.clear();
                sd.fit(new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {images, convMask, fcMask},
                        new INDArray[] {oneHot}));
                for (SaClassifierNetwork.Norm norm : SaClassifierNetwork.MOMENTS) {
                    ComposedBatchNorm.updateRunning(running.get(norm.runningMean()), running.get(norm.runningVar()),
                            capture.get(ComposedBatchNorm.meanName(norm.name())),
                            capture.get(ComposedBatchNorm.varianceName(norm.name())), norm.count(size),
                            settings.bnMomentum());
                }
                lossSum += capture.loss;
                memory.check();
                step++;
                int ep = epoch;
                double loss = capture.loss;
                meter.update(step, () -> String.format(java.util.Locale.ROOT, "epoch %d/%d, lr %.0e, loss %.4f",
                        ep + 1, settings.epochs(), settings.learningRate(ep), loss));
            }
            double accuracy = test == null ? Double.NaN
                    : SaClassifierNetwork.wrap(SaClassifierNetwork.inferenceFrom(sd, running)).accuracy(test);
            Epoch done = new Epoch(epoch + 1, lossSum / perEpoch, accuracy, (System.nanoTime() - e0) / 1e9);
            history.add(done);
            LOG.info("ψ_SA epoch {}/{}: mean loss {}, test accuracy {}, {} s", done.epoch(), settings.epochs(),
                    String.format(java.util.Locale.ROOT, "%.4f", done.meanLoss()),
                    String.format(java.util.Locale.ROOT, "%.4f", done.testAccuracy()),
                    String.format(java.util.Locale.ROOT, "%.1f", done.seconds()));
            if (checkpoints != null) {
                saveCheckpoint(checkpoints, epoch + 1, sd, running, settings, dataHash, history);
            }
        }
        sd.setListeners();
        double seconds = history.stream().mapToDouble(Epoch::seconds).sum();
        return new Result(SaClassifierNetwork.inferenceFrom(sd, running), List.copyOf(history), total, startEpoch,
                seconds);
    }

    /** Running statistics before training: mean 0, variance 1. */
    private static Map<String, INDArray> initialRunning() {
        Map<String, INDArray> m = new HashMap<>();
        for (SaClassifierNetwork.Norm norm : SaClassifierNetwork.MOMENTS) {
            m.put(norm.runningMean(), Nd4j.zeros(DataType.FLOAT, norm.channels()));
            m.put(norm.runningVar(), Nd4j.ones(DataType.FLOAT, norm.channels()));
        }
        return m;
    }

    static long epochSeed(long seed, int epoch) {
        return seed * 0x9E3779B97F4A7C15L + 1_000_003L * (epoch + 1);
    }

    private static int[] permutation(int n, Random rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Inverted-dropout mask: each entry 0 with probability p, else 1/(1 − p). */
    private static INDArray mask(Random rng, long... shape) {
        long len = 1;
        for (long s : shape) {
            len *= s;
        }
        float keep = (float) (1 / (1 - SaClassifierNetwork.DROPOUT));
        float[] v = new float[(int) len];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextDouble() < SaClassifierNetwork.DROPOUT ? 0f : keep;
        }
        return Nd4j.create(v, shape, 'c');
    }

    private static void requireSame(JsonNode state, Settings settings, String dataHash, Path dir) {
        String expected = JSON.valueToTree(settings).toString();
        if (!state.get("settings").toString().equals(expected) || !state.get("train_data_sha256").asText()
                .equals(dataHash)) {
            throw new IllegalStateException("checkpoint " + dir + " is of another run (settings "
                    + state.get("settings") + ", data " + state.get("train_data_sha256").asText() + "; this run: "
                    + expected + ", data " + dataHash + "): choose another checkpoint folder or delete it");
        }
    }

    private static void saveCheckpoint(Path root, int epochsDone, SameDiff sd, Map<String, INDArray> running,
                                       Settings settings, String dataHash, List<Epoch> history)
            throws IOException {
        Files.createDirectories(root);
        String name = String.format("epoch-%03d", epochsDone);
        Path tmp = Files.createTempDirectory(root, "." + name + "-");
        try {
            GraphFiles.save(sd, tmp.resolve(MODEL), true);
            NamedArrays.write(tmp.resolve(STATS), running);
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("epochs_done", epochsDone);
            state.put("settings", settings);
            state.put("train_data_sha256", dataHash);
            state.put("training_seconds", history.stream().mapToDouble(Epoch::seconds).sum());
            List<Map<String, Object>> h = new ArrayList<>();
            for (Epoch e : history) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("epoch", e.epoch());
                m.put("mean_loss", e.meanLoss());
                m.put("test_accuracy", Double.isNaN(e.testAccuracy()) ? null : e.testAccuracy());
                m.put("seconds", e.seconds());
                h.add(m);
            }
            state.put("history", h);
            AtomicFiles.writeString(tmp.resolve(STATE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));
            Path target = root.resolve(name);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            List<Path> all = completeCheckpoints(root);
            for (Path old : all.subList(0, Math.max(0, all.size() - KEEP))) {
                deleteTree(old);
            }
        } finally {
            if (Files.exists(tmp)) {
                deleteTree(tmp);
            }
        }
    }

    /** The newest complete checkpoint in {@code root}, or {@code null}. */
    static Path latestCheckpoint(Path root) throws IOException {
        List<Path> all = completeCheckpoints(root);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    private static List<Path> completeCheckpoints(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().matches("epoch-\\d{3}")
                            && Files.isRegularFile(p.resolve(STATE)))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Keeps copies of the batch moments and the loss of the step {@code fit} runs. */
    private static final class MomentsCapture extends BaseListener {
        private static final Set<String> NAMES = moments();
        private final Map<String, INDArray> values = new HashMap<>();
        private double loss = Double.NaN;

        private static Set<String> moments() {
            Set<String> s = new java.util.HashSet<>();
            for (SaClassifierNetwork.Norm norm : SaClassifierNetwork.MOMENTS) {
                s.add(ComposedBatchNorm.meanName(norm.name()));
                s.add(ComposedBatchNorm.varianceName(norm.name()));
            }
            return s;
        }

        /** Mean negative log-likelihood of log-softmax(logits) at the one-hot labels, in double precision. */
        static double meanNll(INDArray logits, INDArray oneHot) {
            double[][] z = logits.castTo(DataType.DOUBLE).toDoubleMatrix();
            int[] label = oneHot.argMax(1).toIntVector();
            double sum = 0;
            for (int i = 0; i < z.length; i++) {
                double max = java.util.Arrays.stream(z[i]).max().orElseThrow();
                double lse = 0;
                for (double v : z[i]) {
                    lse += Math.exp(v - max);
                }
                sum += max + Math.log(lse) - z[i][label[i]];
            }
            return sum / z.length;
        }

        void clear() {
            values.clear();
            loss = Double.NaN;
        }

        INDArray get(String name) {
            INDArray v = values.get(name);
            if (v == null) {
                throw new IllegalStateException("batch moment '" + name + "' was not computed by the training step");
            }
            return v;
        }

        @Override
        public boolean isActive(Operation operation) {
            return operation == Operation.TRAINING;
        }

        @Override
        public void activationAvailable(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, String varName,
                                        INDArray activation) {
            if (NAMES.contains(varName)) {
                values.put(varName, activation.dup());
            } else if (SaClassifierNetwork.LOGITS.equals(varName)) {
                // M2.1's fit does not compute the loss value (its gradient needs only the logits), so the
                // Loss that iterationDone receives is 0: the loss is computed here from the logits
                loss = meanNll(activation, batch.getLabels(0));
            }
        }
    }
}
