package org.erasediff.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchCommandTest {

    @Test
    void aTinyBenchReportsEveryPhaseAsOneJsonLine() throws Exception {
        CliRun r = CliRun.of("bench", "--widths", "8,16", "--no-attention", "--batch", "4", "--reps", "2",
                "--warmup", "1", "--skip-fit", "--samplers", "ddim:2", "--gen-images", "4", "--gen-batches", "4",
                "--json");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.outLines();
        assertEquals(1, lines.size(), "stdout carries only the JSON line: " + r.out());
        JsonNode j = new ObjectMapper().readTree(lines.get(0));
        for (String k : List.of("train_step_s", "train_step_peak_rss_mb", "erasediff_step_s", "forward_s",
                "train_step_fresh_arrays_s", "peak_rss_mb", "pool_mb", "train_step_gc_ms", "forward_inference_s",
                "forward_graph_over_inference")) {
            assertTrue(j.has(k) && j.get(k).asDouble() >= 0, k + " in " + j);
        }
        assertTrue(j.get("train_step_min_s").asDouble() <= j.get("train_step_s").asDouble()
                && j.get("train_step_s").asDouble() <= j.get("train_step_max_s").asDouble(), j.toString());
        // after warm-up every array of a step comes from the pool
        assertEquals(0, j.get("train_step_fresh_arrays").asInt(), j.toString());
        assertTrue(j.get("generate_images_per_s").asDouble() > 0, "the generation phase: " + j);
        int workers = j.get("generate_workers").asInt();
        assertTrue(workers >= 1, j.toString());
        JsonNode byWorkers = j.get("generate_by_workers_images_per_s");
        assertTrue(byWorkers.get("1").asDouble() > 0 && byWorkers.get(String.valueOf(workers)).asDouble() > 0,
                j.toString());
    }

    @Test
    void badCountsAreRefused() {
        CliRun r = CliRun.of("bench", "--reps", "0");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("need --batch >= 2, --reps >= 1, --warmup >= 0"), r.err());
    }
}
