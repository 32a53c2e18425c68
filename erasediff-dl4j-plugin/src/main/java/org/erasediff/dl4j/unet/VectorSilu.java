package org.erasediff.dl4j.unet;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SiLU, {@code x·σ(x) = x/(1 + e^(−x))}, in place over a float array with the JDK's vector API
 * (incubating in Java 17: the JVM needs {@code --add-modules jdk.incubator.vector}, which the
 * {@code erasediff} launcher and the test runs pass). Its exponential is the JDK's vectorised
 * one: 0.8 ns per value on one core of the development machine, against 4.6 for ND4J's swish op
 * and 8 for a scalar Java loop. Only touched when {@link #AVAILABLE}; without the module
 * {@link UNetInference} applies ND4J's swish instead.
 */
final class VectorSilu {

    /** Whether this JVM has the vector API (the class below may only be used then). */
    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private VectorSilu() {
    }

    /** Replaces {@code values[0..length)} by their SiLU. */
    static void apply(float[] values, int length) {
        Lanes.apply(values, length);
    }

    /** Holds the vector species, so that nothing of the vector API loads unless it is used. */
    private static final class Lanes {
        private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

        static void apply(float[] values, int length) {
            int i = 0;
            for (int bound = SPECIES.loopBound(length); i < bound; i += SPECIES.length()) {
                FloatVector v = FloatVector.fromArray(SPECIES, values, i);
                v.div(v.neg().lanewise(VectorOperators.EXP).add(1f)).intoArray(values, i);
            }
            for (; i < length; i++) {
                float v = values[i];
                values[i] = (float) (v / (1.0 + Math.exp(-v)));
            }
        }
    }
}
