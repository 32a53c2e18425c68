package org.erasediff.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ScheduleConfigTest {

    @Test
    void builderDefaultsAreTheDdpmSchedule() {
        ScheduleConfig c = ScheduleConfig.builder(ScheduleType.LINEAR).build();
        assertEquals(new ScheduleConfig(ScheduleType.LINEAR, 1000, 1e-4, 0.02), c);
    }

    @Test
    void jsonRoundTrip() {
        ScheduleConfig c = ScheduleConfig.builder(ScheduleType.SCALED_LINEAR)
                .optTimesteps(500).optBetaStart(0.00085).optBetaEnd(0.012).build();
        String json = c.toJson();
        assertEquals("{\"type\":\"SCALED_LINEAR\",\"timesteps\":500,\"betaStart\":8.5E-4,\"betaEnd\":0.012}", json);
        assertEquals(c, ScheduleConfig.fromJson(json));
    }

    @Test
    void validationNamesTheFieldAndRange() {
        assertMessage("timesteps must be in [2, 100000], got 1",
                () -> ScheduleConfig.builder(ScheduleType.LINEAR).optTimesteps(1).build());
        assertMessage("betaStart must be in (0, 1), got 0.0",
                () -> ScheduleConfig.builder(ScheduleType.LINEAR).optBetaStart(0).build());
        assertMessage("betaEnd must be in [betaStart=0.01, 1), got 0.001",
                () -> ScheduleConfig.builder(ScheduleType.LINEAR).optBetaStart(0.01).optBetaEnd(0.001).build());
        assertMessage("betaEnd must be in [betaStart=1.0E-4, 1), got NaN",
                () -> ScheduleConfig.builder(ScheduleType.LINEAR).optBetaEnd(Double.NaN).build());
        assertMessage("type must be one of LINEAR, COSINE, SCALED_LINEAR, got null",
                () -> new ScheduleConfig(null, 1000, 1e-4, 0.02));
    }

    @Test
    void fromJsonRejectsInvalidValuesAndMalformedText() {
        assertMessage("timesteps must be in [2, 100000], got 0",
                () -> ScheduleConfig.fromJson("{\"type\":\"COSINE\",\"betaStart\":1e-4,\"betaEnd\":0.02}"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScheduleConfig.fromJson("{\"type\":\"NOPE\"}"));
        assertEquals("expected ScheduleConfig JSON, got: {\"type\":\"NOPE\"}", e.getMessage());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
