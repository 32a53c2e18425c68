package org.erasediff.dl4j.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepSettingsTest {

    @Test
    void settingsAreValidatedAndRoundTripThroughJson() throws Exception {
        SweepSettings s = SweepSettings.builder(12).optSearch(SweepSettings.Search.GRID).optMaxSeconds(600)
                .optSeed(4).optGridPoints(5).optObjective(new SweepObjective("p_forget_sa", "fid_remain", 0.5))
                .build();
        ObjectMapper json = new ObjectMapper();
        assertEquals(s, json.readValue(json.writeValueAsString(s), SweepSettings.class));
        assertEquals(SweepSettings.builder(1).build().objective(), SweepObjective.of(0.01));
        for (var bad : List.<Runnable>of(() -> SweepSettings.builder(0).build(),
                () -> SweepSettings.builder(1).optMaxSeconds(-1).build(),
                () -> SweepSettings.builder(1).optGridPoints(1).build(),
                () -> SweepObjective.of(-0.1), () -> new SweepObjective(" ", "fid_remain", 1))) {
            assertThrows(IllegalArgumentException.class, bad::run);
        }
    }

    @Test
    void theParetoFrontKeepsExactlyTheUndominated() {
        SweepObjective o = SweepObjective.of(1);
        List<Map<String, Double>> points = List.of(Map.of("p_forget", 0.1, "fid_remain", 50.0),
                Map.of("p_forget", 0.5, "fid_remain", 10.0), Map.of("p_forget", 0.5, "fid_remain", 60.0),
                Map.of("p_forget", 0.3, "fid_remain", 30.0), Map.of("p_forget", 0.1, "fid_remain", 50.0));
        List<Map<String, Double>> front = o.paretoFront(points, m -> m);
        assertEquals(List.of(points.get(0), points.get(4), points.get(3), points.get(1)), front, "equal points both stay");
        assertEquals(0.1 + 50, o.scalarise(points.get(0)));
        assertTrue(!o.isScorable(Map.of("p_forget", Double.NaN, "fid_remain", 1.0)));
        assertThrows(IllegalStateException.class, () -> o.isScorable(Map.of("p_forget", 0.1)));
    }
}
