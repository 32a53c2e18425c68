package org.erasediff.samples.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.unlearn.UnlearningResult;
import org.erasediff.testing.TinyGraphs;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class UnlearnImagesTest {

    @Test
    void forgetsExactlyTheNamedImages() throws IOException {
        LabelledImages data = TinyGraphs.stripes(30);
        DiffusionGraph model = new DiffusionGraph(TinyGraphs.conditional(3, 5), TinyGraphs.conditionalSpec(3));
        INDArray before = model.sameDiff().getArrForVarName("conv2_W").dup();
        List<Integer> ids = List.of(4, 17, 29);

        UnlearningResult r = UnlearnImages.forgetImages(model, data, ids, 3);

        ForgetRemainSplit expected = ForgetRemainSplit.bySampleIds(data, ids);
        assertEquals(expected.forget().contentHash(), r.provenance().data().get("forget").sha256());
        assertEquals(expected.remain().contentHash(), r.provenance().data().get("remain").sha256());
        assertEquals(3, r.history().size());
        assertEquals(before, model.sameDiff().getArrForVarName("conv2_W"), "the input model is not touched");
        assertFalse(before.equals(r.model().sameDiff().getArrForVarName("conv2_W")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UnlearnImages.forgetImages(model, data, List.of(4, 99), 3));
        assertTrue(e.getMessage().contains("not in stripes"), e.getMessage());
    }
}
