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

    private static SweepRecord scored(int index, double pForget, double argmax, double fid, SweepObjective o) {
        Map<String, Double> m = Map.of("p_forget", pForget, "argmax_forget", argmax, "fid_remain", fid);
        return new SweepRecord(index, "h" + index, "erasediff", Map.of(), "{}", SweepRecord.OK, m, o.scalarise(m), 1.0,
                null);
    }

    @Test
    void barsRankTheCandidatesMeetingThemFirstAndChangeNoScore() {
        SweepObjective plain = SweepObjective.of(0.01);
        SweepObjective barred = plain.withBar("argmax_forget", 0.015);
        // #0 keeps quality but misses the bar; #1 and #2 meet it, #2 with the better score
        List<SweepRecord> records = List.of(scored(0, 0.037, 0.030, 43.2, plain), scored(1, 0.005, 0.0, 72.6, plain),
                scored(2, 0.018, 0.010, 68.0, plain));
        assertEquals(0, SweepSummary.of(records, plain).best().index(), "without bars the score alone decides");
        assertEquals(2, SweepSummary.of(records, barred).best().index(), "with a bar: the best score that meets it");
        assertEquals(List.of(2, 1, 0), records.stream().sorted(barred.ranking()).map(SweepRecord::index).toList());
        assertEquals(plain.scalarise(records.get(0).metrics()), barred.scalarise(records.get(0).metrics()));
        assertEquals(SweepSummary.of(records, plain).pareto(), SweepSummary.of(records, barred).pareto());
        // when no candidate meets the bars, the best is still the best score
        assertEquals(0, SweepSummary.of(records, plain.withBar("argmax_forget", -1)).best().index());
        assertTrue(barred.meetsBars(records.get(1).metrics()) && !barred.meetsBars(records.get(0).metrics()));
        assertTrue(!barred.meetsBars(Map.of("p_forget", 0.0)), "a missing barred figure does not meet it");
        assertThrows(IllegalStateException.class, () -> barred.isScorable(Map.of("p_forget", 0.1, "fid_remain", 1.0)));
    }

    @Test
    void barsAreValidatedAndRoundTripThroughJsonAndOldSettingsHaveNone() throws Exception {
        ObjectMapper json = new ObjectMapper();
        SweepSettings s = SweepSettings.builder(3).optObjective(SweepObjective.of(0.5).withBar("argmax_forget", 0.015)
                .withBar("p_forget_sa", 0.05)).build();
        SweepSettings back = json.readValue(json.writeValueAsString(s), SweepSettings.class);
        assertEquals(s, back);
        assertEquals(List.of("argmax_forget", "p_forget_sa"), List.copyOf(back.objective().bars().keySet()));
        SweepObjective old = json.readValue("{\"forgetKey\":\"p_forget\",\"qualityKey\":\"fid_remain\","
                + "\"qualityWeight\":0.01}", SweepObjective.class);
        assertEquals(SweepObjective.of(0.01), old);
        for (var bad : List.<Runnable>of(() -> SweepObjective.of(1).withBar(" ", 1),
                () -> SweepObjective.of(1).withBar("p_forget", Double.NaN),
                () -> SweepObjective.of(1).withBar("p_forget", Double.POSITIVE_INFINITY))) {
            assertThrows(IllegalArgumentException.class, bad::run);
        }
    }
}
