package org.erasediff.dl4j.loop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Map;

/**
 * Where a trained or unlearned model came from, as a typed record that round-trips through JSON:
 * the method and its full config, the data it saw (names, sizes, content hashes), the run seed,
 * the trainable parameters, facts about the inputs the caller added (e.g. the input model's
 * hash), the library versions read from the jars, and when it ran.
 *
 * @param method          the method's name
 * @param config          the method's config as JSON
 * @param data            the data by role
 * @param seed            the run seed
 * @param trainableParameters how many parameter arrays were trained
 * @param trainableValues how many scalar values they hold
 * @param inputs          facts the caller recorded about the inputs
 * @param versions        library and platform versions ({@link LibraryVersions#current()})
 * @param startedAt       ISO-8601 instant the first sitting started (this sitting's for a resume)
 * @param resumedFromStep the step this sitting resumed from (0 for a fresh run)
 */
public record RunProvenance(String method, JsonNode config, Map<String, StepAlgorithm.DataDescription> data,
                            long seed, int trainableParameters, long trainableValues, Map<String, String> inputs,
                            Map<String, String> versions, String startedAt, int resumedFromStep) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** This provenance as indented JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write provenance: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads provenance written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException if the text is not such JSON
     */
    public static RunProvenance fromJson(String json) {
        try {
            return JSON.readValue(json, RunProvenance.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid provenance JSON: " + e.getOriginalMessage(), e);
        }
    }
}
