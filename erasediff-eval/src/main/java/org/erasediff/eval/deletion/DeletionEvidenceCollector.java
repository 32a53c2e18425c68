package org.erasediff.eval.deletion;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.sampling.NoisePredictor;
import org.erasediff.eval.generate.ModelEvaluator;
import org.erasediff.eval.generate.SampleGenerator;
import org.erasediff.eval.metrics.MembershipRoc;
import org.erasediff.eval.metrics.MemorisationCheck;
import org.erasediff.eval.metrics.MemorisationResult;
import org.erasediff.eval.metrics.MemorisationThreshold;
import org.erasediff.eval.metrics.NearestMatch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Collects the {@link DeletionEvidence} about a model for the images of a deletion request, the
 * same way for every model (same seeds, same noises, same threshold):
 *
 * <ul>
 *   <li>memorisation: {@code samplesPerClass} images generated for each class of the requested
 *       images (an unconditional model: its quality samples), and for each requested image the
 *       nearest of them by pixel L2 with its judge-feature distance, judged by the
 *       {@link MemorisationThreshold};</li>
 *   <li>membership inference: the {@link MembershipInference} attack, the requested images
 *       against the held-out images;</li>
 *   <li>quality: {@link ModelEvaluator} on every class ({@code accuracy}, {@code fid},
 *       {@code kid}; an unconditional model: {@code fid}, {@code kid}).</li>
 * </ul>
 */
public final class DeletionEvidenceCollector {

    private final ModelEvaluator evaluator;
    private final MembershipInference attack;
    private final MemorisationCheck check;
    private final LabelledImages requested;
    private final LabelledImages heldOut;
    private final int samplesPerClass;
    private final int qualityPerClass;
    private final double[][] requestedPixels;
    private double[][] requestedFeatures;
    /** The held-out images' losses by model identity: the probe's base model is also "before". */
    private final Map<String, double[]> heldOutLosses = new HashMap<>();

    /**
     * The evidence about one model and the images behind it.
     *
     * @param evidence  the evidence
     * @param quality   the quality evaluation (its images and figures, for reports)
     * @param generated the images the memorisation check searched, {@code [M, C, H, W]}
     * @param nearest   per requested image, the index in {@code generated} of its nearest image
     */
    public record Collected(DeletionEvidence evidence, ModelEvaluator.Evaluated quality, INDArray generated,
                            int[] nearest) {
    }

    /**
     * @param evaluator       judges, sampler and real images for quality (its classifier's
     *                        features give the feature distances)
     * @param attack          the membership-inference attack
     * @param threshold       the near-copy threshold (computed once, from real data)
     * @param requested       the requested images (members)
     * @param heldOut         held-out images of the same classes (non-members)
     * @param samplesPerClass images generated per class of the requested images, {@code >= 1}
     * @param qualityPerClass images generated per class for the quality figures, {@code >= 4}
     * @throws IllegalArgumentException if a count is out of range or a set is empty
     */
    public DeletionEvidenceCollector(ModelEvaluator evaluator, MembershipInference attack,
                                     MemorisationThreshold threshold, LabelledImages requested, LabelledImages heldOut,
                                     int samplesPerClass, int qualityPerClass) {
        if (requested.size() == 0 || heldOut.size() == 0) {
            throw new IllegalArgumentException("the evidence needs requested images and held-out images, found "
                    + requested.size() + " and " + heldOut.size());
        }
        if (samplesPerClass < 1 || qualityPerClass < 4) {
            throw new IllegalArgumentException("samplesPerClass must be >= 1 and qualityPerClass >= 4, were "
                    + samplesPerClass + " and " + qualityPerClass);
        }
        this.evaluator = evaluator;
        this.attack = attack;
        this.check = new MemorisationCheck(threshold);
        this.requested = requested;
        this.heldOut = heldOut;
        this.samplesPerClass = samplesPerClass;
        this.qualityPerClass = qualityPerClass;
        this.requestedPixels = scaled(requested).reshape(requested.size(), requested.imageSize())
                .castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    /**
     * Collects the evidence about one model.
     *
     * @param name    the model's name in reports ("before", "after")
     * @param model   the model
     * @param modelSha256 identity of its weights (report and sample-cache key)
     * @param seed    generation seed (use the same for every model)
     */
    public Collected collect(String name, NoisePredictor model, String modelSha256, long seed) throws IOException {
        long[] chw = {requested.channels(), requested.height(), requested.width()};
        int classes = requested.numClasses();
        int[] all = IntStream.range(0, classes).toArray();
        int[] requestedClasses = IntStream.range(0, classes).filter(c -> requested.classCounts()[c] > 0).toArray();
        ModelEvaluator.Evaluated quality;
        INDArray generated;
        if (model.isConditional()) {
            quality = evaluator.evaluate(name, model, modelSha256, chw, all, qualityPerClass, new int[0], 0, seed);
            generated = evaluator.generator().generate(model, modelSha256, chw,
                    SampleGenerator.labelsPerClass(requestedClasses, samplesPerClass), seed + 2);
        } else {
            quality = evaluator.evaluateUnconditional(name, model, modelSha256, chw, qualityPerClass * classes, all,
                    new int[0], seed);
            generated = quality.keptImages();
        }
        if (requestedFeatures == null) {
            requestedFeatures = features(scaled(requested));
        }
        MemorisationResult memo = check.check(requestedPixels, requested.labels(),
                generated.reshape(generated.size(0), requested.imageSize()).castTo(DataType.DOUBLE).toDoubleMatrix(),
                requestedFeatures, features(generated));
        MembershipInference.Result mia = attack.attack(model, requested, heldOutLosses(model, modelSha256));

        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("memorised_fraction", memo.memorisedFraction());
        figures.put("memorisation_fraction", memo.fractionOfGeneratedWithinThreshold());
        figures.putAll(mia.roc().toScalars());
        figures.put("mia_member_loss", mia.meanMemberLoss());
        figures.put("mia_heldout_loss", mia.meanNonMemberLoss());
        Map<String, Double> q = quality.evaluation().metrics();
        for (String k : List.of("accuracy", "fid", "kid")) {
            if (q.containsKey(k)) {
                figures.put(k, q.get(k));
            }
        }
        List<DeletionEvidence.ImageEvidence> images = new ArrayList<>();
        int[] nearest = new int[requested.size()];
        for (int i = 0; i < requested.size(); i++) {
            NearestMatch m = memo.matches().get(i);
            nearest[i] = m.generatedIndex();
            images.add(new DeletionEvidence.ImageEvidence(requested.id(i), requested.label(i), m.pixelL2(),
                    m.featureDistance(), m.pixelThreshold(), m.nearCopy(), mia.memberLosses()[i]));
        }
        return new Collected(new DeletionEvidence(name, modelSha256, figures, images), quality, generated, nearest);
    }

    /**
     * A probe of how recognisable the requested images still are, for a stopping rule (e.g. the
     * plugin's {@code ForgettingTargetStop}): the membership-inference attack's AUC of the requested
     * images' losses under the probed model against the held-out images' losses under {@code base}.
     * The held-out losses are computed once, here, so that a probe costs only the requested images'
     * losses; unlearning trains on other images than the held-out ones and moves their loss little
     * (the final evidence measures it again under the unlearned model). They are kept for
     * {@link #collect} of the same model ({@code baseSha256}), which then does not compute them
     * again.
     *
     * @param base       the model before unlearning
     * @param baseSha256 identity of its weights
     * @return model → AUC (1: the attack finds every requested image; 0.5: it cannot tell them from
     *         held-out images; below: they stand out by a higher loss)
     */
    public java.util.function.ToDoubleFunction<NoisePredictor> membershipProbe(NoisePredictor base,
                                                                             String baseSha256) {
        double[] baseLosses = heldOutLosses(base, baseSha256);
        return model -> MembershipRoc.of(attack.losses(model, requested), baseLosses, MembershipRoc.ONE_PERCENT)
                .auc();
    }

    /** The held-out images' losses under {@code model}, computed once per model identity. */
    private double[] heldOutLosses(NoisePredictor model, String modelSha256) {
        return heldOutLosses.computeIfAbsent(modelSha256, k -> attack.losses(model, heldOut));
    }

    /**
     * How the evidence is measured, for reports: {@code near_copy_threshold}
     * ({@link MemorisationThreshold#toMap()}), {@code memorisation_samples_per_class},
     * {@code quality_samples_per_class}, {@code membership_inference} (the attack's settings),
     * {@code heldout} (name, size and content hash of the held-out images).
     */
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("near_copy_threshold", check.threshold().toMap());
        m.put("memorisation_samples_per_class", samplesPerClass);
        m.put("quality_samples_per_class", qualityPerClass);
        MembershipInferenceConfig c = attack.config();
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("loss", "mean over the timesteps and fixed noises of the per-pixel squared error of the predicted noise");
        a.put("timesteps", c.timesteps());
        a.put("noises_per_timestep", c.noisesPerTimestep());
        a.put("seed", c.seed());
        m.put("membership_inference", a);
        m.put("heldout", Map.of("name", heldOut.name(), "images", heldOut.size(), "sha256", heldOut.contentHash()));
        return m;
    }

    private double[][] features(INDArray images) {
        return evaluator.classifier().classify(images).features().castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    private static INDArray scaled(LabelledImages images) {
        INDArray out = Nd4j.create(DataType.FLOAT, images.size(), images.channels(), images.height(), images.width());
        images.copyScaled(IntStream.range(0, images.size()).toArray(), out, null);
        return out;
    }
}
