package org.erasediff.dl4j.loop;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The versions a run actually used, read from the jars on the class path (their Maven
 * {@code pom.properties}, or the library's own version class where a shaded copy would answer
 * first) and from this project's own filtered version resource, never typed in by hand.
 */
public final class LibraryVersions {

    private static final String[][] ARTIFACTS = {
            {"nd4j_api", "org.nd4j", "nd4j-api"},
            {"nd4j_native", "org.nd4j", "nd4j-native"},
    };

    private LibraryVersions() {
    }

    /**
     * This project's, ND4J's and Jackson's versions, the ND4J backend, Java, OS and architecture;
     * an artifact that is not on the class path is left out.
     *
     * @return name → version, in a stable order
     */
    public static Map<String, String> current() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("erasediff", erasediffVersion());
        for (String[] a : ARTIFACTS) {
            String version = mavenVersion(a[1], a[2]);
            if (version != null) {
                v.put(a[0], version);
            }
        }
        // Jackson's own version class: ND4J's shaded Jackson carries another jackson-databind pom.properties
        v.put("jackson_databind", com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
        v.put("nd4j_backend", Nd4j.getBackend().getClass().getSimpleName());
        v.put("java", System.getProperty("java.version"));
        v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        v.put("arch", System.getProperty("os.arch"));
        return v;
    }

    /** This project's version, from the resource Maven filters at build time. */
    public static String erasediffVersion() {
        Properties p = load(LibraryVersions.class.getResourceAsStream("/org/erasediff/dl4j/version.properties"));
        String v = p == null ? null : p.getProperty("version");
        return v == null || v.startsWith("${") ? "unknown" : v;
    }

    private static String mavenVersion(String group, String artifact) {
        Properties p = load(LibraryVersions.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/" + group + "/" + artifact + "/pom.properties"));
        return p == null ? null : p.getProperty("version");
    }

    private static Properties load(InputStream in) {
        if (in == null) {
            return null;
        }
        try (in) {
            Properties p = new Properties();
            p.load(in);
            return p;
        } catch (IOException e) {
            return null;
        }
    }
}
