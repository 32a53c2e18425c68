/**
 * Diffusion noise schedules (linear, cosine, scaled-linear) in double precision and the
 * forward noising process x_t = √ᾱ_t·x_0 + √(1−ᾱ_t)·ε.
 *
 * <p>{@link org.erasediff.core.schedule.ScheduleConfig} describes a schedule (and round-trips
 * through JSON); {@link org.erasediff.core.schedule.NoiseSchedule} is the immutable schedule
 * built from it.
 */
package org.erasediff.core.schedule;
