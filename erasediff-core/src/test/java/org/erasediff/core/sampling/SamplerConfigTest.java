package org.erasediff.core.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SamplerConfigTest {

    @Test
    void presets() {
        assertEquals(new SamplerConfig(1000, 1.0, TimestepSpacing.UNIFORM, 2.0, true), SamplerConfig.DDPM);
        assertEquals(new SamplerConfig(100, 0.0, TimestepSpacing.UNIFORM, 2.0, true), SamplerConfig.DDIM_100);
    }

    @Test
    void jsonRoundTrip() {
        SamplerConfig c = SamplerConfig.builder(50).optEta(0.3).optSpacing(TimestepSpacing.QUADRATIC)
                .optGuidanceScale(1.5).optClip(false).build();
        String json = c.toJson();
        assertEquals("{\"steps\":50,\"eta\":0.3,\"spacing\":\"QUADRATIC\",\"guidanceScale\":1.5,\"clip\":false}", json);
        assertEquals(c, SamplerConfig.fromJson(json));
        assertEquals(SamplerConfig.DDPM, SamplerConfig.fromJson(SamplerConfig.DDPM.toJson()));
    }

    @Test
    void validationNamesTheFieldAndRange() {
        assertMessage("steps must be in [1, 100000], got 0", () -> SamplerConfig.builder(0).build());
        assertMessage("eta must be in [0, 1], got 1.5", () -> SamplerConfig.builder(10).optEta(1.5).build());
        assertMessage("eta must be in [0, 1], got NaN", () -> SamplerConfig.builder(10).optEta(Double.NaN).build());
        assertMessage("spacing must be one of UNIFORM, QUADRATIC, got null",
                () -> SamplerConfig.builder(10).optSpacing(null).build());
        assertMessage("guidanceScale must be finite and >= 0, got -0.5",
                () -> SamplerConfig.builder(10).optGuidanceScale(-0.5).build());
        assertMessage("guidanceScale must be finite and >= 0, got Infinity",
                () -> SamplerConfig.builder(10).optGuidanceScale(Double.POSITIVE_INFINITY).build());
    }

    @Test
    void fromJsonRejectsInvalidValuesAndMalformedText() {
        assertMessage("eta must be in [0, 1], got 2.0", () -> SamplerConfig.fromJson(
                "{\"steps\":50,\"eta\":2.0,\"spacing\":\"UNIFORM\",\"guidanceScale\":1.5,\"clip\":true}"));
        assertMessage("expected SamplerConfig JSON, got: [1]", () -> SamplerConfig.fromJson("[1]"));
    }

    private static void assertMessage(String expected, Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
