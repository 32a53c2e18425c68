package org.erasediff.samples.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;

/** Library and platform versions recorded in provenance files. */
final class Versions {

    private Versions() {
    }

    /** Java, OS, ND4J backend and versions of this project and of DL4J. */
    static Map<String, String> all() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("erasediff", "0.1.0-SNAPSHOT");
        v.put("dl4j", "1.0.0-M2.1");
        v.put("nd4j_backend", Nd4j.getBackend().getClass().getSimpleName());
        v.put("java", System.getProperty("java.version"));
        v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        v.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        return v;
    }
}
