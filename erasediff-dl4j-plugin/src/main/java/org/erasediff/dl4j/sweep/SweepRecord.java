package org.erasediff.dl4j.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One finished candidate, as stored in the results file: its index in the sweep, the hash of its
 * config (its identity), the method, the swept values, the config itself (compact JSON), its
 * figures, the scalarised score and its wall time. A candidate whose run failed (diverged, invalid
 * for the data) is stored too, with {@code status} {@code failed} and the error, so a resumed sweep
 * does not run it again.
 *
 * @param index      position in the sweep's candidate sequence, {@code >= 0}
 * @param configHash SHA-256 (first 16 hex digits) of the method name and the compact config JSON
 * @param method     {@code erasediff} or a baseline's name
 * @param parameters the swept values by name
 * @param config     the config as compact JSON
 * @param status     {@link #OK} or {@link #FAILED}
 * @param metrics    the scorer's figures (empty when failed)
 * @param objective  the scalarised score ({@code null} when failed)
 * @param seconds    wall time of unlearning and scoring
 * @param error      why the run failed ({@code null} when it did not)
 */
public record SweepRecord(int index, String configHash, String method, Map<String, Object> parameters,
                          String config, String status, Map<String, Double> metrics, Double objective,
                          double seconds, String error) implements Serializable {

    /** Status of a scored candidate. */
    public static final String OK = "ok";
    /** Status of a candidate whose run failed. */
    public static final String FAILED = "failed";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Validates and copies the maps (keeping their order). */
    public SweepRecord {
        if (index < 0 || configHash == null || method == null || config == null
                || !(OK.equals(status) || FAILED.equals(status))) {
            throw new IllegalArgumentException("a sweep record needs an index >= 0, a hash, a method, a config and "
                    + "status ok or failed, found " + index + ", " + configHash + ", " + method + ", " + status);
        }
        if (OK.equals(status) && (objective == null || !Double.isFinite(objective))) {
            throw new IllegalArgumentException("candidate " + index + " is ok but has no finite objective: " + objective);
        }
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** A scored candidate. */
    public static SweepRecord ok(int index, CandidateConfig c, Map<String, Double> metrics, double objective,
                                 double seconds) {
        String compact = compact(c.configJson());
        return new SweepRecord(index, hash(c.method(), compact), c.method(), c.parameters(), compact, OK, metrics,
                objective, seconds, null);
    }

    /** A candidate whose run failed. */
    public static SweepRecord failed(int index, CandidateConfig c, String error, double seconds) {
        String compact = compact(c.configJson());
        return new SweepRecord(index, hash(c.method(), compact), c.method(), c.parameters(), compact, FAILED, Map.of(),
                null, seconds, error == null ? "unknown error" : error);
    }

    /** Whether the candidate was scored. */
    public boolean isOk() {
        return OK.equals(status);
    }

    /** The candidate's config, read back from its JSON. */
    public CandidateConfig candidate() {
        return CandidateConfig.fromJson(method, config, parameters);
    }

    /** The identity of a candidate: its method and config, hashed. */
    public static String hash(CandidateConfig c) {
        return hash(c.method(), compact(c.configJson()));
    }

    private static String hash(String method, String compactJson) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest((method + "\n" + compactJson).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String compact(String json) {
        try {
            return JSON.readTree(json).toString();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("candidate config is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
