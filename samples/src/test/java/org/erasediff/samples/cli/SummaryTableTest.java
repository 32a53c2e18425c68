package org.erasediff.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTableTest {

    @Test
    void showsEveryMetricBeforeAndAfterAndTheCosts() {
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("p_forget", 0.9512);
        before.put("fid_remain", 123.45);
        before.put("class_histogram", new double[] {0.25, 0.75});
        Map<String, Object> after = new LinkedHashMap<>(before);
        after.put("p_forget", 0.0071);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("before", before);
        figures.put("after", after);
        figures.put("eval_seconds", 80.04);
        figures.put("seconds", 200.0);
        figures.put("output", "runs/demo/x");
        List<String> lines = SummaryTable.render(figures).lines().toList();
        assertEquals(6, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).matches("metric\\s+before\\s+after"), lines.get(0));
        assertTrue(lines.get(2).matches("p_forget\\s+0\\.9512\\s+0\\.0071"), lines.get(2));
        assertTrue(lines.get(3).matches("fid_remain\\s+123\\.5\\s+123\\.5"), lines.get(3));
        assertTrue(lines.get(4).contains("0.25 0.75"), lines.get(4));
        assertEquals("unlearning 200.0 s, evaluation 80.0 s; run folder runs/demo/x", lines.get(5));
    }
}
