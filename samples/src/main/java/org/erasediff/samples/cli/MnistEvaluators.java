package org.erasediff.samples.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.erasediff.core.data.Mnist;
import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.eval.classifier.MnistClassifierNetwork;
import org.erasediff.eval.generate.ModelEvaluator;
import org.erasediff.eval.generate.SampleGenerator;
import org.erasediff.eval.metrics.KidConfig;
import org.erasediff.samples.ShippedAssets;

/** The evaluator the commands share: the shipped classifier, cached generation, the MNIST test set. */
final class MnistEvaluators {

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
        SampleGenerator generator = new SampleGenerator(NoiseSchedule.create(schedule), sampler, 100, cache);
        return new ModelEvaluator(classifier, generator, ShippedAssets.mnist(Mnist.Split.TEST),
                KidConfig.builder().optSubsetSize(Math.min(1000, kidSubset)).optNumSubsets(50).build());
    }
}
