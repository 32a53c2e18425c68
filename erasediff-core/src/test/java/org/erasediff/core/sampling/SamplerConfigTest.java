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

    @Test
    void solverDefaultsToDdimAndIsWrittenOnlyWhenItIsNot() {
        assertEquals(Solver.DDIM, SamplerConfig.DDIM_100.solver());
        assertEquals(Solver.DDIM, SamplerConfig.builder(10).build().solver());
        assertEquals(new SamplerConfig(10, 0.0, TimestepSpacing.UNIFORM, 2.0, true, Solver.DDIM),
                new SamplerConfig(10, 0.0, TimestepSpacing.UNIFORM, 2.0, true));
        assertEquals("{\"steps\":100,\"eta\":0.0,\"spacing\":\"UNIFORM\",\"guidanceScale\":2.0,\"clip\":true}",
                SamplerConfig.DDIM_100.toJson());

        SamplerConfig dpm = SamplerConfig.builder(20).optSolver(Solver.DPM_SOLVER_PP_2M).optGuidanceScale(3)
                .optClip(false).build();
        String json = dpm.toJson();
        assertEquals("{\"steps\":20,\"eta\":0.0,\"spacing\":\"UNIFORM\",\"guidanceScale\":3.0,\"clip\":false,"
                + "\"solver\":\"DPM_SOLVER_PP_2M\"}", json);
        assertEquals(dpm, SamplerConfig.fromJson(json));
    }

    @Test
    void jsonWithoutASolverIsDdim() {
        SamplerConfig old = SamplerConfig.fromJson(
                "{\"steps\":50,\"eta\":0.3,\"spacing\":\"QUADRATIC\",\"guidanceScale\":1.5,\"clip\":false}");
        assertEquals(new SamplerConfig(50, 0.3, TimestepSpacing.QUADRATIC, 1.5, false, Solver.DDIM), old);
        assertEquals(Solver.DDIM, SamplerConfig.fromJson(
                "{\"steps\":50,\"eta\":0.3,\"spacing\":\"QUADRATIC\",\"guidanceScale\":1.5,\"clip\":false,"
                        + "\"solver\":null}").solver());
        assertEquals(Solver.DDIM, SamplerConfig.fromJson(
                "{\"steps\":50,\"eta\":0.3,\"spacing\":\"QUADRATIC\",\"guidanceScale\":1.5,\"clip\":false,"
                        + "\"solver\":\"DDIM\"}").solver());
    }

    @Test
    void solverValidation() {
        assertMessage("solver must be one of DDIM, DPM_SOLVER_PP_2M, got null",
                () -> SamplerConfig.builder(10).optSolver(null).build());
        assertMessage("eta must be 0 for solver DPM_SOLVER_PP_2M (a deterministic solver), got 0.5",
                () -> SamplerConfig.builder(10).optEta(0.5).optSolver(Solver.DPM_SOLVER_PP_2M).build());
        assertMessage("eta must be 0 for solver DPM_SOLVER_PP_2M (a deterministic solver), got 1.0",
                () -> SamplerConfig.fromJson("{\"steps\":50,\"eta\":1.0,\"spacing\":\"UNIFORM\","
                        + "\"guidanceScale\":1.5,\"clip\":true,\"solver\":\"DPM_SOLVER_PP_2M\"}"));
        assertMessage("expected SamplerConfig JSON, got: {\"steps\":50,\"eta\":0.0,\"spacing\":\"UNIFORM\","
                        + "\"guidanceScale\":1.5,\"clip\":true,\"solver\":\"PLMS\"}",
                () -> SamplerConfig.fromJson("{\"steps\":50,\"eta\":0.0,\"spacing\":\"UNIFORM\","
                        + "\"guidanceScale\":1.5,\"clip\":true,\"solver\":\"PLMS\"}"));
        // Every other setting combines with DPM-Solver++, clipping and guidance included.
        SamplerConfig.builder(7).optSolver(Solver.DPM_SOLVER_PP_2M).optSpacing(TimestepSpacing.QUADRATIC)
                .optGuidanceScale(0).optClip(true).build().validate();
    }

    private static void assertMessage(String expected, Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
