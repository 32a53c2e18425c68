package org.erasediff.samples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Map;

/** Prints a command's figures: one JSON object on the last line of stdout ({@code --json}), or readable lines. */
final class JsonOutput {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonOutput() {
    }

    /** {@code value} as indented JSON. */
    static String pretty(Object value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("value cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /** Prints {@code figures} as one JSON line if {@code json}, else as indented JSON for people. */
    static void print(Map<String, ?> figures, boolean json) {
        try {
            System.out.flush();
            System.out.println(json ? MAPPER.writeValueAsString(figures) : PRETTY.writeValueAsString(figures));
            System.out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("figures cannot be written as JSON: " + e.getMessage(), e);
        }
    }
}
