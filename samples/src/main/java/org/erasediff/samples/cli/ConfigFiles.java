package org.erasediff.samples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;

/**
 * Reads settings files given on the command line: JSON, or YAML with the same fields when the
 * name ends in {@code .yaml} or {@code .yml}. Every error names the file.
 */
final class ConfigFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    private ConfigFiles() {
    }

    /**
     * Reads a file and parses it with a JSON reader ({@code fromJson} of a config type).
     *
     * @param file   the file
     * @param what   what it holds, for messages (e.g. "EraseDiff config")
     * @param parser JSON text to the value; throws IllegalArgumentException naming the bad field
     * @throws java.nio.file.NoSuchFileException if the file is missing
     * @throws IllegalArgumentException          naming the file and the problem
     */
    static <T> T read(Path file, String what, Function<String, T> parser) throws IOException {
        String text = Files.readString(file);
        String json;
        try {
            json = yaml(file) ? JSON.writeValueAsString(orEmpty(YAML.readTree(text))) : text;
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid YAML: " + e.getMessage(), e);
        }
        try {
            return parser.apply(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": invalid " + what + ": " + e.getMessage(), e);
        }
    }

    private static boolean yaml(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".yaml") || n.endsWith(".yml");
    }

    private static JsonNode orEmpty(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() ? JSON.createObjectNode() : n;
    }
}
