package org.erasediff.dl4j.unet;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

class SelfAttentionTest {

    /** Same function as ND4J's fused multi-head attention op, given the weights in its layout. */
    @Test
    void matchesNd4jMultiHeadDotProductAttention() {
        int b = 8, c = 8, heads = 2, size = 3, d = c / heads;
        Random rnd = new Random(11);
        INDArray x = GroupNormTest.random(rnd, DataType.DOUBLE, b, c, size, size);
        INDArray[] w = new INDArray[3];
        for (int i = 0; i < 3; i++) {
            w[i] = GroupNormTest.random(rnd, DataType.DOUBLE, heads, d, c).divi(Math.sqrt(c));
        }
        INDArray wo = GroupNormTest.random(rnd, DataType.DOUBLE, c, c).divi(Math.sqrt(c));

        SameDiff ref = SameDiff.create();
        SDVariable seq = ref.placeHolder("x", DataType.DOUBLE, -1, c, size, size).reshape(-1, c, size * size);
        SDVariable refOut = ref.nn().multiHeadDotProductAttention(seq, seq, seq, ref.constant(w[0]),
                ref.constant(w[1]), ref.constant(w[2]), ref.constant(wo), null, true).reshape(-1, c, size, size);
        INDArray expected = ref.outputSingle(Map.of("x", x), refOut.name());

        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("x", DataType.DOUBLE, -1, c, size, size);
        SDVariable out = SelfAttention.apply(in, sd.constant(asConv(w[0], c)), sd.constant(asConv(w[1], c)),
                sd.constant(asConv(w[2], c)), sd.constant(wo.reshape(1, 1, c, c)), c, heads, size);
        INDArray actual = sd.outputSingle(Map.of("x", x), out.name());

        double diff = actual.sub(expected).amaxNumber().doubleValue();
        assertTrue(expected.amaxNumber().doubleValue() > 0.1, "reference output is not trivial");
        assertTrue(diff < 1e-10, "max difference " + diff);
    }

    /** [heads, d, C] (head h: q_h = W[h]·x) to the 1x1 conv layout [1, 1, C_in, h·d + j]. */
    private static INDArray asConv(INDArray w, int c) {
        return w.reshape(c, c).transpose().dup().reshape(1, 1, c, c);
    }
}
