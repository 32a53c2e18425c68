package org.erasediff.dl4j.unlearn;

import java.util.Objects;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.schedule.ScheduleType;
import org.erasediff.dl4j.loop.RunOptions;

/**
 * What every unlearner's builder takes besides its config: the model's noise schedule and the
 * {@link RunOptions} of the loop (checkpoints, listeners, provenance, progress).
 *
 * @param <B> the concrete builder
 */
public abstract class UnlearnerBuilder<B extends UnlearnerBuilder<B>> extends RunOptions<B> {

    private ScheduleConfig schedule = ScheduleConfig.builder(ScheduleType.LINEAR).build();

    /** For subclasses. */
    protected UnlearnerBuilder() {
    }

    /** The noise schedule the model was trained with (default linear, T = 1000). */
    @SuppressWarnings("unchecked")
    public B optSchedule(ScheduleConfig s) {
        schedule = Objects.requireNonNull(s, "schedule");
        return (B) this;
    }

    /** The schedule set (or the default). */
    ScheduleConfig schedule() {
        return schedule;
    }
}
