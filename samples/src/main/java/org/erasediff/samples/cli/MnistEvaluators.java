package org.erasediff.samples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.erasediff.core.data.Mnist;
import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.eval.classifier.MnistClassifierNetwork;
import org.erasediff.eval.classifier.SaClassifierNetwork;
import org.erasediff.eval.generate.ModelEvaluator;
import org.erasediff.eval.generate.SampleGenerator;
import org.erasediff.eval.metrics.KidConfig;
import org.erasediff.samples.ShippedAssets;

/**
 * The evaluator the commands share: the shipped classifier ψ (every figure), the shipped ψ_SA as a
 * second judge of the forgotten digits (keys ending in {@code _sa}), cached generation, the MNIST
 * test set.
 */
final class MnistEvaluators {

    /** ψ_SA's name in reports. */
    static final String SA_JUDGE = "ψ_SA";

    private MnistEvaluators() {
    }

    /**
     * @param schedule  the diffusion model's noise schedule
     * @param sampler   sampling settings (steps, guidance)
     * @param kidSubset KID subset size (at most 1,000)
     * @param cache     sample cache folder
     */
    static ModelEvaluator create(ScheduleConfig schedule, SamplerConfig sampler, int kidSubset, Path cache)
            throws IOException {
        var classifier = MnistClassifierNetwork.wrap(ShippedAssets.model(null, ShippedAssets.CLASSIFIER));
        var judgeSa = new ModelEvaluator.Judge(SA_JUDGE, "_sa",
                SaClassifierNetwork.wrap(ShippedAssets.model(null, ShippedAssets.CLASSIFIER_SA)));
        SampleGenerator generator = new SampleGenerator(NoiseSchedule.create(schedule), sampler,
                SampleGenerator.DEFAULT_BATCH_SIZE, cache);
        return new ModelEvaluator(classifier, List.of(judgeSa), generator, ShippedAssets.mnist(Mnist.Split.TEST),
                KidConfig.builder().optSubsetSize(Math.min(1000, kidSubset)).optNumSubsets(50).build());
    }
}
