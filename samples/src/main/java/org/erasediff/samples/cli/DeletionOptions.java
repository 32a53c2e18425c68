package org.erasediff.samples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.data.ImageFolderReader;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.eval.deletion.DeletionEvidenceCollector;
import org.erasediff.eval.deletion.MembershipInference;
import org.erasediff.eval.deletion.MembershipInferenceConfig;
import org.erasediff.eval.generate.ModelEvaluator;
import org.erasediff.eval.metrics.MemorisationThreshold;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Option;

/**
 * How a deletion request for individual images (--forget-ids) is evidenced: the memorisation
 * check (samples per class of the requested images, the near-copy threshold rule) and the
 * membership-inference attack (held-out images of the same classes).
 */
final class DeletionOptions {

    @Option(names = "--memorisation-samples", paramLabel = "N", defaultValue = "100", description = "With "
            + "--forget-ids: images generated for each class of the requested images, searched for near-copies of "
            + "them (default ${DEFAULT-VALUE}).")
    int samplesPerClass = 100;

    @Option(names = "--near-copy-fraction", paramLabel = "F", defaultValue = "0.5", description = "With --forget-ids: "
            + "a generated image is a near-copy of a requested image when their pixel L2 distance is below F times the "
            + "median distance between a real training image of that class and its nearest other one "
            + "(default ${DEFAULT-VALUE}).")
    double nearCopyFraction = 0.5;

    @Option(names = "--threshold-images", paramLabel = "N", defaultValue = "500", description = "With --forget-ids: "
            + "kept training images per class that the near-copy threshold's median is taken over "
            + "(default ${DEFAULT-VALUE}).")
    int thresholdImages = 500;

    @Option(names = "--heldout-images", paramLabel = "N", defaultValue = "100", description = "With --forget-ids: "
            + "held-out images per class of the requested images that the membership-inference attack compares them "
            + "with (default ${DEFAULT-VALUE}).")
    int heldOutPerClass = 100;

    @Option(names = "--heldout", paramLabel = "DIR", description = "With --forget-ids on your own data: held-out "
            + "images (never trained on) in a folder with the same class sub-folders as --data. Default: the MNIST "
            + "test set.")
    Path heldOut;

    @Option(names = "--stop-at-mia-auc", paramLabel = "AUC", description = "With --forget-ids: stop unlearning once "
            + "the membership-inference attack's AUC on the requested images, probed every --stop-every steps against "
            + "the held-out images' losses under the input model, is at most AUC (0.5: the requested images look like "
            + "images never trained on; lower: they stand out as removed). Default: every step runs.")
    Double stopAtAuc;

    /** Steps between membership probes when {@code --stop-every} is not given. */
    static final int DEFAULT_STOP_EVERY = 10;

    @Option(names = "--stop-every", paramLabel = "N", description = "With --stop-at-mia-auc: steps between probes "
            + "(default " + DEFAULT_STOP_EVERY + ").")
    Integer stopEvery;

    /**
     * The stopping rule {@code --stop-at-mia-auc} asks for.
     *
     * @param auc   stop once the probed AUC is at most this
     * @param every steps between probes
     */
    record MembershipStop(double auc, int every) {
    }

    /** The stopping rule, or {@code null} when every step runs. */
    MembershipStop membershipStop() {
        return stopAtAuc == null ? null
                : new MembershipStop(stopAtAuc, stopEvery == null ? DEFAULT_STOP_EVERY : stopEvery);
    }

    /** Checks the counts (before anything is loaded). */
    void validate() {
        if (stopAtAuc != null && !(stopAtAuc > 0 && stopAtAuc <= 1)) {
            throw new IllegalArgumentException("--stop-at-mia-auc must be in (0, 1], was " + stopAtAuc);
        }
        if (stopEvery != null && stopAtAuc == null) {
            throw new IllegalArgumentException("--stop-every needs --stop-at-mia-auc (alone it would do nothing)");
        }
        if (stopEvery != null && stopEvery < 1) {
            throw new IllegalArgumentException("--stop-every must be >= 1, was " + stopEvery);
        }
        if (samplesPerClass < 1 || thresholdImages < 2 || heldOutPerClass < 1) {
            throw new IllegalArgumentException("--memorisation-samples and --heldout-images must be >= 1 and "
                    + "--threshold-images >= 2, were " + samplesPerClass + ", " + heldOutPerClass + " and "
                    + thresholdImages);
        }
        if (!(nearCopyFraction > 0 && nearCopyFraction <= 1)) {
            throw new IllegalArgumentException("--near-copy-fraction must be in (0, 1], was " + nearCopyFraction);
        }
    }

    /**
     * The collector of a deletion request's evidence: the threshold from the kept training images
     * of the requested images' classes, the held-out images of those classes.
     *
     * @param evaluator       the run's evaluator
     * @param schedule        the model's noise schedule
     * @param dataOptions     the data options (where held-out images come from)
     * @param data            the training data
     * @param split           the request applied to it
     * @param qualityPerClass images generated per class for accuracy and FID
     * @throws IllegalArgumentException if held-out images are missing or do not fit
     */
    DeletionEvidenceCollector collector(ModelEvaluator evaluator, ScheduleConfig schedule, DataOptions dataOptions,
                                        DataOptions.Dataset data, ForgetRemainSplit split, int qualityPerClass)
            throws IOException {
        LabelledImages requested = split.forget();
        List<Integer> classes = IntStream.of(split.forgetClasses()).boxed().toList();
        long[] chw = {requested.channels(), requested.height(), requested.width()};
        LabelledImages reference = split.remain().firstPerClass(thresholdImages, classes, "threshold-reference");
        INDArray px = Nd4j.create(DataType.FLOAT, reference.size(), chw[0], chw[1], chw[2]);
        reference.copyScaled(IntStream.range(0, reference.size()).toArray(), px, null);
        MemorisationThreshold threshold = MemorisationThreshold.relative(nearCopyFraction,
                px.reshape(reference.size(), reference.imageSize()).castTo(DataType.DOUBLE).toDoubleMatrix(),
                reference.labels());
        LabelledImages held = heldOutImages(dataOptions, data, chw).firstPerClass(heldOutPerClass, classes, "held-out");
        if (held.size() == 0) {
            throw new IllegalArgumentException("the held-out images have none of the requested images' classes "
                    + classes);
        }
        MembershipInference attack = new MembershipInference(NoiseSchedule.create(schedule),
                MembershipInferenceConfig.builder().build());
        return new DeletionEvidenceCollector(evaluator, attack, threshold, requested, held, samplesPerClass,
                qualityPerClass);
    }

    private LabelledImages heldOutImages(DataOptions dataOptions, DataOptions.Dataset data, long[] chw)
            throws IOException {
        if (heldOut != null) {
            ImageFolderReader.Result r = new ImageFolderReader((int) chw[0], (int) chw[1], (int) chw[2]).read(heldOut);
            if (!r.classNames().equals(data.classNames())) {
                throw new IllegalArgumentException("--heldout " + heldOut + " has classes " + r.classNames()
                        + " but the data has " + data.classNames());
            }
            return r.images();
        }
        if (!dataOptions.shipped()) {
            throw new IllegalArgumentException("--forget-ids on your own data needs held-out images of the same "
                    + "classes for the membership-inference attack: give --heldout DIR (or --no-eval)");
        }
        return dataOptions.loadReference(chw).images();
    }
}
