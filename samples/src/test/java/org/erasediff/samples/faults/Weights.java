package org.erasediff.samples.faults;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.erasediff.dl4j.checkpoint.GraphFiles;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Compares the trainable weights of model files bit for bit, and checks them for NaN/Inf. */
final class Weights {

    private Weights() {
    }

    /**
     * Why the two models' weights differ (name, shape or any bit), or {@code null} when every
     * parameter is bit-identical.
     */
    static String difference(Path a, Path b) throws IOException {
        SameDiff x = GraphFiles.load(a, false);
        SameDiff y = GraphFiles.load(b, false);
        for (SDVariable v : x.variables()) {
            if (v.getVariableType() != VariableType.VARIABLE) {
                continue;
            }
            if (!y.hasVariable(v.name())) {
                return b + " has no parameter " + v.name();
            }
            INDArray p = v.getArr();
            INDArray q = y.getVariable(v.name()).getArr();
            if (!Arrays.equals(p.shape(), q.shape()) || !Arrays.equals(bits(p), bits(q))) {
                return "parameter " + v.name() + " differs";
            }
        }
        return null;
    }

    /** Whether every parameter of the model is finite. */
    static boolean finite(Path model) throws IOException {
        for (SDVariable v : GraphFiles.load(model, false).variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                for (double d : v.getArr().dup().data().asDouble()) {
                    if (!Double.isFinite(d)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static int[] bits(INDArray a) {
        float[] f = a.dup().data().asFloat();
        int[] bits = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            bits[i] = Float.floatToRawIntBits(f[i]);
        }
        return bits;
    }
}
