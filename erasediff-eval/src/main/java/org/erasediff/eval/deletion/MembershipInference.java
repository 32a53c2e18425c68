package org.erasediff.eval.deletion;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.sampling.NoisePredictor;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.eval.metrics.MembershipRoc;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A loss-based membership-inference attack on a diffusion model: an image the model was trained
 * on (a member) tends to have a lower denoising loss than an image it never saw.
 *
 * <p>The loss of an image {@code x} is the mean, over the configured timesteps {@code t} and
 * {@code noisesPerTimestep} fixed noise images {@code ε} per timestep, of the per-pixel mean
 * squared error {@code ‖ε − ε_θ(√ᾱ_t·x + √(1−ᾱ_t)·ε, t, y)‖² / P}, with {@code y} the image's own
 * label for a conditional model. The noise images are drawn once from the seed, so every image
 * and every model sees exactly the same noise: two models' losses differ only by the models.
 * The attack's figures ({@link MembershipRoc}) compare the members' losses with those of
 * held-out non-members, typically test images of the members' classes.
 */
public final class MembershipInference {

    private final NoiseSchedule schedule;
    private final MembershipInferenceConfig config;

    /**
     * The attack's outcome.
     *
     * @param roc             AUC and true-positive rate at 1 % false positives
     * @param memberLosses    the loss of every member, in input order
     * @param nonMemberLosses the loss of every non-member, in input order
     */
    public record Result(MembershipRoc roc, double[] memberLosses, double[] nonMemberLosses) {
        /** The members' mean loss. */
        public double meanMemberLoss() {
            return Arrays.stream(memberLosses).average().orElse(Double.NaN);
        }

        /** The non-members' mean loss. */
        public double meanNonMemberLoss() {
            return Arrays.stream(nonMemberLosses).average().orElse(Double.NaN);
        }
    }

    /**
     * @param schedule the noise schedule the models were trained with
     * @param config   the attack's settings
     * @throws IllegalArgumentException if a timestep is outside the schedule
     */
    public MembershipInference(NoiseSchedule schedule, MembershipInferenceConfig config) {
        int max = config.timesteps().stream().mapToInt(Integer::intValue).max().orElseThrow();
        if (max >= schedule.numTimesteps()) {
            throw new IllegalArgumentException("attack timestep " + max + " is outside the schedule's "
                    + schedule.numTimesteps() + " timesteps");
        }
        this.schedule = schedule;
        this.config = config;
    }

    /** The settings. */
    public MembershipInferenceConfig config() {
        return config;
    }

    /**
     * Attacks: the losses of members and non-members and the ROC summary at 1 % false positives.
     *
     * @param model      the model
     * @param members    images it may have been trained on (e.g. the images a deletion request names)
     * @param nonMembers held-out images of the same classes
     * @throws IllegalArgumentException if a set is empty or the images do not fit the model
     */
    public Result attack(NoisePredictor model, LabelledImages members, LabelledImages nonMembers) {
        return attack(model, members, losses(model, nonMembers));
    }

    /**
     * As {@link #attack(NoisePredictor, LabelledImages, LabelledImages)} with the non-members'
     * losses under {@code model} already computed (by {@link #losses}).
     *
     * @param model           the model
     * @param members         images it may have been trained on
     * @param nonMemberLosses the held-out images' losses under the same model
     */
    public Result attack(NoisePredictor model, LabelledImages members, double[] nonMemberLosses) {
        double[] m = losses(model, members);
        return new Result(MembershipRoc.of(m, nonMemberLosses, MembershipRoc.ONE_PERCENT), m, nonMemberLosses);
    }

    /**
     * The denoising loss of every image.
     *
     * @param model  the model
     * @param images the images, at least one
     * @return one loss per image, in order
     * @throws IllegalArgumentException if the set is empty
     */
    public double[] losses(NoisePredictor model, LabelledImages images) {
        if (images.size() == 0) {
            throw new IllegalArgumentException(images.name() + " holds no image to attack");
        }
        int sz = images.imageSize();
        long[] chw = {images.channels(), images.height(), images.width()};
        float[][] noises = noises(sz);
        double[] out = new double[images.size()];
        int terms = noises.length;
        for (int start = 0; start < images.size(); start += config.batchSize()) {
            int[] pos = IntStream.range(start, Math.min(images.size(), start + config.batchSize())).toArray();
            int b = pos.length;
            INDArray x0 = Nd4j.create(DataType.FLOAT, b, chw[0], chw[1], chw[2]);
            images.copyScaled(pos, x0, null);
            int[] labels = model.isConditional() ? Arrays.stream(pos).map(images::label).toArray() : null;
            for (int k = 0; k < terms; k++) {
                int t = config.timesteps().get(k / config.noisesPerTimestep());
                int[] ts = new int[b];
                Arrays.fill(ts, t);
                INDArray eps = Nd4j.create(noises[k], new long[] {1, chw[0], chw[1], chw[2]}, DataType.FLOAT)
                        .repeat(0, b);
                INDArray xt = schedule.addNoise(x0, eps, ts);
                INDArray err = model.predictNoise(xt, ts, labels).castTo(DataType.FLOAT).subi(eps);
                double[] perImage = err.muli(err).reshape(b, sz).mean(1).toDoubleVector();
                for (int i = 0; i < b; i++) {
                    out[pos[i]] += perImage[i] / terms;
                }
            }
        }
        return out;
    }

    /** The fixed noise images, timestep-major: entry {@code k·J + j} is noise {@code j} of timestep {@code k}. */
    private float[][] noises(int size) {
        int n = config.timesteps().size() * config.noisesPerTimestep();
        float[][] out = new float[n][size];
        SplittableRandom rng = new SplittableRandom(config.seed());
        for (float[] noise : out) {
            for (int p = 0; p < size; p++) {
                noise[p] = (float) rng.nextGaussian();
            }
        }
        return out;
    }
}
