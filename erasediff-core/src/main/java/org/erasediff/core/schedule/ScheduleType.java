package org.erasediff.core.schedule;

/** The shape of a noise schedule's β_t curve. */
public enum ScheduleType {
    /** β_t linear in t from {@code betaStart} to {@code betaEnd} (Ho et al., DDPM). */
    LINEAR,
    /**
     * Cosine ᾱ_t (Nichol &amp; Dhariwal, offset s = 0.008, β_t clipped at 0.999);
     * {@code betaStart} and {@code betaEnd} are ignored.
     */
    COSINE,
    /** √β_t linear in t from √betaStart to √betaEnd (the Stable Diffusion schedule). */
    SCALED_LINEAR
}
