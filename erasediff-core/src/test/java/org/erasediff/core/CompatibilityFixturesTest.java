package org.erasediff.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.erasediff.core.optim.NanPolicy;
import org.erasediff.core.optim.UpdaterSettings;
import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.sampling.Solver;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.schedule.ScheduleType;
import org.erasediff.core.unlearn.BaselineConfig;
import org.erasediff.core.unlearn.BaselineMethod;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.core.unlearn.LambdaRule;
import org.junit.jupiter.api.Test;

/**
 * Backward compatibility of the config files: {@code compat/0.1.0/} holds configs as version
 * 0.1.0 wrote them ({@code toJson}). Every later version must keep reading them to the same
 * settings — a field may be added (absent: its old default), none may change its meaning or stop
 * being read. Never edit these files; a new version adds its own folder beside them.
 */
class CompatibilityFixturesTest {

    /** A 0.1.0 file, the settings it was written from and the reader of its type. */
    record Fixture<T>(String file, T written, Function<String, T> reader) {
    }

    /** Every 0.1.0 config file. */
    static List<Fixture<?>> fixtures() {
        return List.of(
                new Fixture<>("erasediff-faithful.json", EraseDiffConfig.builder().optOuterSteps(50)
                        .optLambdaRule(new LambdaRule.Fixed(0.5)).optSeed(7).build(), EraseDiffConfig::fromJson),
                new Fixture<>("erasediff-reference.json", EraseDiffConfig.builder()
                        .optMode(EraseDiffConfig.Mode.REFERENCE_COMPATIBLE).optReferenceInnerEpochs(1)
                        .optReferenceOuterStepsPerRound(5).optUpdater(UpdaterSettings.adam(2e-3))
                        .optNanPolicy(new NanPolicy(2, 0.25)).build(), EraseDiffConfig::fromJson),
                new Fixture<>("baseline-salun.json", BaselineConfig.builder(new BaselineMethod.SalUn(1e-3, 0.5))
                        .optSteps(30).build(), BaselineConfig::fromJson),
                new Fixture<>("sampler-dpm-solver.json", SamplerConfig.builder(20).optSolver(Solver.DPM_SOLVER_PP_2M)
                        .optGuidanceScale(2.0).build(), SamplerConfig::fromJson),
                new Fixture<>("schedule-cosine.json", ScheduleConfig.builder(ScheduleType.COSINE).optTimesteps(500)
                        .build(), ScheduleConfig::fromJson));
    }

    @Test
    void configsWrittenByVersion010StillReadAsTheSameSettings() throws IOException {
        for (Fixture<?> f : fixtures()) {
            assertEquals(f.written(), f.reader().apply(resource("compat/0.1.0/" + f.file())), f.file());
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = CompatibilityFixturesTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
