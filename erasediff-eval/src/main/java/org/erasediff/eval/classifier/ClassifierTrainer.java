package org.erasediff.eval.classifier;

import org.erasediff.core.data.BatchIterator;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.progress.ProgressMeter;
import org.erasediff.dl4j.graph.GradientFunctions;
import org.erasediff.dl4j.memory.MemoryGuard;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the reference MNIST classifier with {@code SameDiff.fit}: Adam, a learning rate that
 * halves every epoch, seeded shuffling, a progress line with ETA.
 */
public final class ClassifierTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(ClassifierTrainer.class);

    /**
     * Training settings.
     *
     * @param epochs       passes over the training set (&gt; 0)
     * @param batchSize    images per step (&gt; 0)
     * @param learningRate initial Adam learning rate (&gt; 0)
     * @param seed         seed of initialisation and shuffling
     */
    public record Settings(int epochs, int batchSize, double learningRate, long seed) {
        /** Validates the ranges. */
        public Settings {
            if (epochs <= 0) {
                throw new IllegalArgumentException("epochs must be > 0, was " + epochs);
            }
            if (batchSize <= 0) {
                throw new IllegalArgumentException("batchSize must be > 0, was " + batchSize);
            }
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("learningRate must be > 0, was " + learningRate);
            }
        }
    }

    private ClassifierTrainer() {
    }

    /**
     * Builds and trains a classifier.
     *
     * @param train    training images (10 classes, 28×28)
     * @param settings the settings
     * @return the trained graph (placeholders and outputs as in {@link MnistClassifierNetwork})
     */
    public static SameDiff train(LabelledImages train, Settings settings) {
        SameDiff sd = MnistClassifierNetwork.build(settings.seed());
        int stepsPerEpoch = train.size() / settings.batchSize();
        sd.setTrainingConfig(new TrainingConfig.Builder()
                .updater(new Adam(new StepSchedule(ScheduleType.EPOCH, settings.learningRate(), 0.5, 1)))
                .dataSetFeatureMapping(MnistClassifierNetwork.IMAGE)
                .dataSetLabelMapping(MnistClassifierNetwork.LABEL)
                .build());
        // M2.1's array cache (on by default) hands arrays still in use to later ops and corrupted gradients
        // of other graphs here; fit's gradient function runs with it off. (The shipped classifier was trained
        // before this was found; its accuracy is measured, not assumed.)
        sd.setEnableCache(false);
        GradientFunctions.create(sd);
        sd.getFunction("grad").setEnableCache(false);
        BatchIterator batches = new BatchIterator(train, settings.batchSize(), settings.seed() + 1);
        INDArray oneHot = Nd4j.create(DataType.FLOAT, settings.batchSize(), train.numClasses());
        long total = (long) stepsPerEpoch * settings.epochs();
        ProgressMeter meter = new ProgressMeter(LOG, "classifier", total, 0, 10);
        long step = 0;
        MemoryGuard memory = MemoryGuard.fromSystemProperty();
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            for (int s = 0; s < stepsPerEpoch; s++) {
                BatchIterator.Batch b = batches.next();
                oneHot.assign(0);
                for (int j = 0; j < b.labels().length; j++) {
                    oneHot.putScalar(j, b.labels()[j], 1f);
                }
                sd.getTrainingConfig().setEpochCount(epoch);
                sd.fit(new DataSet(b.images(), oneHot));
                memory.check();
                step++;
                int ep = epoch;
                meter.update(step, () -> "epoch " + (ep + 1));
            }
        }
        return sd;
    }
}
