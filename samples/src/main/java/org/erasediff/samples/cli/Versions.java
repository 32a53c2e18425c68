package org.erasediff.samples.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.erasediff.dl4j.loop.LibraryVersions;

/** Library and platform versions recorded in provenance files. */
final class Versions {

    private Versions() {
    }

    /** The versions read from the jars ({@link LibraryVersions#current()}) and the number of CPUs. */
    static Map<String, String> all() {
        Map<String, String> v = new LinkedHashMap<>(LibraryVersions.current());
        v.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        return v;
    }
}
