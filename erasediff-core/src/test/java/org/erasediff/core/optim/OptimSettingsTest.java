package org.erasediff.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptimSettingsTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void updaterDefaultsAndValidation() {
        UpdaterSettings d = UpdaterSettings.defaults();
        assertEquals(new UpdaterSettings(UpdaterSettings.Type.ADAM, 1e-4, 0.9, 0.999, 1e-8), d);
        assertEquals(5e-5, d.withLearningRate(5e-5).learningRate());
        IllegalArgumentException lr = assertThrows(IllegalArgumentException.class, () -> UpdaterSettings.sgd(0.0));
        assertEquals("learningRate must be > 0 and finite (at most 3.4028235E38, the float range), was 0.0", lr.getMessage());
        IllegalArgumentException beta = assertThrows(IllegalArgumentException.class,
                () -> new UpdaterSettings(UpdaterSettings.Type.ADAM, 1e-4, 1.0, 0.999, 1e-8));
        assertEquals("beta1 must be in [0, 1), was 1.0", beta.getMessage());
    }

    @Test
    void updaterJsonRoundTripAndDefaults() throws Exception {
        UpdaterSettings sgd = UpdaterSettings.sgd(0.05);
        assertEquals(sgd, json.readValue(json.writeValueAsString(sgd), UpdaterSettings.class));
        UpdaterSettings partial = json.readValue("{\"learningRate\": 0.001}", UpdaterSettings.class);
        assertEquals(UpdaterSettings.adam(0.001), partial);
    }

    @Test
    void nanPolicyFactorsAndValidation() throws Exception {
        NanPolicy p = NanPolicy.defaults();
        assertEquals(1.0, p.stepSizeFactor(0));
        assertEquals(0.125, p.stepSizeFactor(3));
        assertThrows(IllegalArgumentException.class, () -> p.stepSizeFactor(4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NanPolicy(-1, 0.5));
        assertEquals("maxRetries must be >= 0, was -1", e.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> new NanPolicy(3, 0.0));
        assertEquals("stepSizeBackoff must be in (0, 1], was 0.0", b.getMessage());
        assertEquals(new NanPolicy(5, 0.5), json.readValue("{\"maxRetries\": 5}", NanPolicy.class));
    }

    @Test
    void parameterSelectionIncludesThenExcludes() {
        List<String> names = List.of("down.0.conv.W", "mid.attn2.q.W", "mid.attn2.k.W", "up.1.conv.b", "attn1.W");
        assertEquals(names, ParameterSelection.all().select(names));
        assertEquals(List.of("mid.attn2.q.W", "mid.attn2.k.W"),
                ParameterSelection.of(List.of("attn2"), null).select(names));
        assertEquals(List.of("down.0.conv.W", "up.1.conv.b", "attn1.W"),
                ParameterSelection.of(null, List.of("attn2")).select(names));
        ParameterSelection convWeights = ParameterSelection.of(List.of("conv"), List.of("\\.b$"));
        assertTrue(convWeights.selects("down.0.conv.W"));
        assertFalse(convWeights.selects("up.1.conv.b"));
        assertFalse(ParameterSelection.of(List.of("^attn$"), null).selects("attn1.W"));
    }

    @Test
    void parameterSelectionValidatesPatternsAndRoundTrips() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParameterSelection.of(List.of("ok", "(unclosed"), null));
        assertTrue(e.getMessage().startsWith("include[1] must be a valid regular expression, was \"(unclosed\""),
                e.getMessage());
        ParameterSelection s = ParameterSelection.of(List.of("attn2", "conv"), List.of("bias$"));
        assertEquals(s, json.readValue(json.writeValueAsString(s), ParameterSelection.class));
        assertEquals(ParameterSelection.all(), json.readValue("{}", ParameterSelection.class));
    }
}
