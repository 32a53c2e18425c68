package org.erasediff.samples;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.dl4j.checkpoint.AtomicFiles;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.graph.DiffusionGraphSpec;
import org.erasediff.dl4j.unet.UNetConfig;
import org.erasediff.dl4j.unet.UNetInference;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The JSON file beside a diffusion model ({@code <model>.json}): how to wire it (graph spec and,
 * for the reference UNet, its config), the noise schedule it was trained with, and its provenance
 * (command, settings, data hash, time, loss, library versions, the model file's SHA-256, and
 * evaluation figures once measured).
 *
 * @param unet        the reference UNet's config, or {@code null} for a user graph
 * @param spec        the graph spec
 * @param schedule    the noise schedule
 * @param training    how the model was made (free-form, JSON-serialisable values)
 * @param versions    library and platform versions
 * @param modelSha256 SHA-256 of the model file
 * @param created     ISO-8601 time of writing
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelCard(
        @JsonProperty("unet") UNetConfig unet,
        @JsonProperty("spec") DiffusionGraphSpec spec,
        @JsonProperty("schedule") ScheduleConfig schedule,
        @JsonProperty("training") Map<String, Object> training,
        @JsonProperty("versions") Map<String, String> versions,
        @JsonProperty("modelSha256") String modelSha256,
        @JsonProperty("created") String created) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * Wraps a loaded graph with this card's spec; for the reference UNet ({@link #unet} given and
     * the graph float32) with its hand-written inference forward
     * ({@link UNetInference#attach}, which checks that it computes the graph's output).
     */
    public DiffusionGraph wrap(SameDiff sd) {
        DiffusionGraph graph = new DiffusionGraph(sd, spec);
        return unet == null ? graph : UNetInference.attach(graph, unet);
    }

    /** Writes the card atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, JSON.writeValueAsString(this) + "\n");
    }

    /** Reads a card. */
    public static ModelCard read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads a card from a stream; {@code source} names it in errors.
     *
     * @throws IllegalArgumentException if it is not a card (not JSON, or without its spec or schedule)
     */
    public static ModelCard read(InputStream in, String source) throws IOException {
        ModelCard card;
        try {
            card = JSON.readValue(in, ModelCard.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(source + ": not a valid model card: " + e.getMessage(), e);
        }
        if (card == null || card.spec() == null || card.schedule() == null) {
            throw new IllegalArgumentException(source + ": not a valid model card: it needs a spec and a schedule");
        }
        return card;
    }
}
