package com.example.unlearning;

import java.io.IOException;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.testing.TinyGraphs;
import org.erasediff.testing.eval.ForgettingAssertions;
import org.erasediff.testing.eval.StripesJudge;
import org.junit.jupiter.api.Test;

/** Tests this project's unlearning step with EraseDiff's public fixtures. */
class ClassEraserTest {

    @Test
    void theErasedClassIsGoneAndTheOthersStay() throws IOException {
        NoiseSchedule schedule = NoiseSchedule.linear();
        DiffusionGraph model = TinyGraphs.stripesModel(schedule, 6);
        ForgettingAssertions judge = new ForgettingAssertions(StripesJudge.create(6), schedule);
        judge.assertRecognised(model, 0, 0.9);

        DiffusionGraph erased = new ClassEraser(2, 40).erase(model, TinyGraphs.stripes(30), 0);

        judge.assertForgotten(erased, 0, 0.1);
        judge.assertRecognised(erased, 1, 0.9);
        judge.assertRecognised(erased, 2, 0.9);
        judge.assertRecognised(model, 0, 0.9); // the input model is untouched
    }
}
