package org.erasediff.dl4j.loop;

import org.erasediff.core.optim.NanPolicy;
import org.erasediff.core.optim.ParameterSelection;
import org.erasediff.core.optim.UpdaterSettings;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * What the {@link TrainingLoop} itself needs from a method's config: how many steps, the updater
 * and its schedule, clipping, the EMA, the NaN policy, the trainable parameters and the run seed.
 * Immutable and validated; methods derive it from their own config.
 *
 * @param steps                steps of the whole run, {@code >= 1}
 * @param updater              the updater's settings
 * @param learningRateSchedule a learning-rate schedule over update counts, or {@code null} for the
 *                             constant rate of {@code updater}
 * @param clipNorm             global gradient-norm clip, {@code > 0}, or {@code 0} for none
 * @param emaDecay             EMA decay in {@code [0, 1)}, {@code 0} for no EMA
 * @param emaWarmup            whether the EMA decay warms up as min(d, (1+n)/(10+n))
 * @param nanPolicy            rollback retries and step-size back-off
 * @param parameters           which parameters are trained
 * @param seed                 the run seed, split per purpose and step
 */
public record LoopSettings(int steps, UpdaterSettings updater, ISchedule learningRateSchedule, double clipNorm,
                           double emaDecay, boolean emaWarmup, NanPolicy nanPolicy, ParameterSelection parameters,
                           long seed) {

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException naming the field outside its range
     */
    public LoopSettings {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, was " + steps);
        }
        if (updater == null || nanPolicy == null || parameters == null) {
            throw new IllegalArgumentException("updater, nanPolicy and parameters must be set");
        }
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clipNorm must be > 0 (or 0 for none) and finite, was " + clipNorm);
        }
        if (!(emaDecay >= 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("emaDecay must be in [0, 1), was " + emaDecay);
        }
    }
}
