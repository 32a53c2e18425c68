package org.erasediff.eval.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.sampling.SamplerConfig;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.graph.DiffusionGraphSpec;
import org.erasediff.dl4j.graph.LabelEncoding;
import org.erasediff.dl4j.sweep.SweepObjective;
import org.erasediff.dl4j.sweep.SweepRecord;
import org.erasediff.dl4j.sweep.SweepSummary;
import org.erasediff.eval.classifier.MnistClassifierNetwork;
import org.erasediff.eval.generate.ModelEvaluator;
import org.erasediff.eval.generate.SampleGenerator;
import org.erasediff.eval.metrics.KidConfig;
import org.erasediff.eval.report.ModelEvaluation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class EvaluatorScorerTest {

    @TempDir
    Path dir;

    /** A conditional graph on 28×28 images whose prediction depends on the label. */
    private static DiffusionGraph graph() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("img", DataType.FLOAT, -1, 1, 28, 28);
        sd.placeHolder("t", DataType.FLOAT, -1);
        SDVariable c = sd.placeHolder("c", DataType.INT32, -1);
        SDVariable table = sd.var("table", Nd4j.linspace(-0.5, 0.5, 11, DataType.FLOAT).reshape(11, 1));
        SDVariable bias = sd.oneHot(c, 11).castTo(DataType.FLOAT).mmul(table).reshape(-1, 1, 1, 1);
        x.mul(0.3).add("out", bias);
        return new DiffusionGraph(sd, DiffusionGraphSpec.builder("img", "t", "out")
                .labels("c", LabelEncoding.INDEX, 10).build());
    }

    /** 40 random 28×28 images, four per class. */
    private static LabelledImages real() {
        byte[] px = new byte[40 * 784];
        new java.util.Random(3).nextBytes(px);
        int[] labels = java.util.stream.IntStream.range(0, 40).map(i -> i % 10).toArray();
        return new LabelledImages("noise", 1, 28, 28, 10, px, labels, java.util.stream.IntStream.range(0, 40).toArray());
    }

    private static ModelEvaluator evaluator() {
        SampleGenerator gen = new SampleGenerator(NoiseSchedule.linear(),
                SamplerConfig.builder(3).optGuidanceScale(0).build(), 16, null);
        var psi = MnistClassifierNetwork.wrap(MnistClassifierNetwork.build(3));
        return new ModelEvaluator(psi, List.of(new ModelEvaluator.Judge("second", "_sa",
                MnistClassifierNetwork.wrap(MnistClassifierNetwork.build(4)))), gen, real(),
                KidConfig.builder().optSubsetSize(10).optNumSubsets(5).build());
    }

    @Test
    void scoresAreTheEvaluatorsFiguresUnderTheCommandsNamesAndRepeat() throws IOException {
        DiffusionGraph g = graph();
        EvaluatorScorer s = new EvaluatorScorer(evaluator(), new int[] {1, 2}, 4, new int[] {0}, 6, 9);
        Map<String, Double> m = s.score(g, "g");
        ModelEvaluation direct = evaluator().evaluate("x", g, "g", g.imageShape(), new int[] {1, 2}, 4, new int[] {0},
                6, 9).evaluation();
        assertEquals(direct.metric("p_forget"), m.get("p_forget"));
        assertEquals(direct.metric("p_forget_sa"), m.get("p_forget_sa"));
        assertEquals(direct.metric("fid"), m.get("fid_remain"));
        assertEquals(direct.metric("accuracy"), m.get("accuracy_remain"));
        assertTrue(!m.containsKey("fid") && m.containsKey("kid_remain") && m.containsKey("fid_forget"));
        assertEquals(m, s.score(g, "g"), "deterministic");
        assertThrows(IllegalArgumentException.class, () -> new EvaluatorScorer(evaluator(), new int[] {1}, 4,
                new int[0], 6, 9));
    }

    @Test
    void theReportMarksTheBestAndTheFront() throws IOException {
        SweepObjective o = SweepObjective.of(0.01);
        List<SweepRecord> recs = List.of(record(0, 0.5, 10), record(1, 0.1, 30), record(2, 0.6, 40));
        SweepSummary s = SweepSummary.of(recs, o);
        new SweepReport(o).write(dir, recs, s);
        assertTrue(Files.size(dir.resolve(SweepReport.PLOT)) > 1000);
        String table = Files.readString(dir.resolve(SweepReport.TABLE));
        List<String> rows = table.lines().skip(2).toList();
        assertEquals(3, rows.size(), table);
        assertTrue(rows.get(0).startsWith("| 1 | best front |"), table); // 0.1 + 0.3 = 0.4 is the lowest score
        assertTrue(rows.get(1).startsWith("| 0 | front |"), table);
        assertTrue(rows.get(2).startsWith("| 2 |  |"), table); // dominated by 0
        // a bar on the forgetting figure that only #1 meets: #1 first, then the others marked
        SweepObjective barred = o.withBar("p_forget", 0.2);
        new SweepReport(barred).write(dir, recs, SweepSummary.of(recs, barred));
        List<String> barredRows = Files.readString(dir.resolve(SweepReport.TABLE)).lines().skip(2).toList();
        assertTrue(barredRows.get(0).startsWith("| 1 | best front |"), barredRows.toString());
        assertTrue(barredRows.get(1).startsWith("| 0 | front misses bar |"), barredRows.toString());
        assertTrue(barredRows.get(2).startsWith("| 2 | misses bar |"), barredRows.toString());
    }

    private static SweepRecord record(int i, double p, double fid) {
        return new SweepRecord(i, "h" + i, "erasediff", Map.of("lambda", 1.0 + i), "{}", SweepRecord.OK,
                Map.of("p_forget", p, "fid_remain", fid), p + 0.01 * fid, 1, null);
    }
}
