package org.erasediff.samples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.dl4j.checkpoint.GraphFiles;
import org.erasediff.dl4j.graph.DiffusionGraphSpec;
import org.erasediff.samples.ModelCard;
import org.erasediff.samples.ShippedAssets;
import picocli.CommandLine.Option;

/**
 * Which diffusion model a command works on: the shipped MNIST model, a model written by this CLI
 * (with its card {@code <model>.json}), or the user's own SameDiff graph with its
 * {@link DiffusionGraphSpec} as JSON and, optionally, its noise schedule.
 */
final class ModelOptions {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Option(names = "--model", paramLabel = "FILE", description = "Diffusion model (a SameDiff FlatBuffers file); "
            + "never modified. With --spec: any graph; without: a model written by this CLI, with <model>.json "
            + "beside it. Default: the shipped MNIST model.")
    Path model;

    @Option(names = "--spec", paramLabel = "FILE", description = "The model's DiffusionGraphSpec as JSON: imageInput, "
            + "timestepInput, timestepEncoding (INDEX_INT, INDEX_FLOAT, SINUSOIDAL with sinusoidalWidth), output, "
            + "numTimesteps, and for a conditional graph labelInput, labelEncoding (INDEX, ONE_HOT), numClasses, "
            + "nullLabel.")
    Path spec;

    @Option(names = "--schedule", paramLabel = "FILE", description = "The noise schedule the model was trained with "
            + "as JSON (type LINEAR or COSINE, timesteps, betaStart, betaEnd); default: the shipped model's "
            + "(linear, 1000 steps, 1e-4 to 0.02). Only with --spec.")
    Path schedule;

    private ShippedAssets.LoadedModel loaded;

    /** The options as if given on the command line ({@code null}: not given). */
    static ModelOptions of(Path model, Path spec, Path schedule) {
        ModelOptions m = new ModelOptions();
        m.model = model;
        m.spec = spec;
        m.schedule = schedule;
        return m;
    }

    /**
     * Loads and validates the model (every name of the spec checked against the graph), once: later
     * calls return the same loaded model, which commands only read.
     *
     * @throws IllegalArgumentException naming the file and the problem
     * @throws NoSuchFileException      if a file is missing
     */
    ShippedAssets.LoadedModel load() throws IOException {
        if (loaded == null) {
            loaded = read();
        }
        return loaded;
    }

    private ShippedAssets.LoadedModel read() throws IOException {
        if (model == null) {
            if (spec != null || schedule != null) {
                throw new IllegalArgumentException("--spec and --schedule describe a model given with --model");
            }
            return ShippedAssets.diffusionModel(null);
        }
        if (spec == null) {
            if (schedule != null) {
                throw new IllegalArgumentException("--schedule needs --spec (a model with a card carries its schedule)");
            }
            return ShippedAssets.diffusionModel(model);
        }
        if (!Files.isRegularFile(model)) {
            throw new NoSuchFileException(model.toString(), null, "model file missing");
        }
        DiffusionGraphSpec s = ConfigFiles.read(spec, "graph spec", ModelOptions::parseSpec);
        ScheduleConfig sc = schedule != null ? ConfigFiles.read(schedule, "noise schedule", ScheduleConfig::fromJson)
                : ShippedAssets.diffusionCard().schedule();
        if (sc.timesteps() != s.numTimesteps()) {
            throw new IllegalArgumentException(spec + ": numTimesteps " + s.numTimesteps() + " differs from the "
                    + "schedule's " + sc.timesteps() + " timesteps" + (schedule == null ? " (the shipped schedule; "
                    + "give yours with --schedule)" : " in " + schedule));
        }
        var sd = GraphFiles.load(model, false);
        String sha = GraphFiles.sha256(model);
        ModelCard card = new ModelCard(null, s, sc, Map.of("source", model.toString()), Versions.all(), sha,
                Instant.now().toString());
        try {
            return new ShippedAssets.LoadedModel(card.wrap(sd), card, sha);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(spec + " does not fit " + model + ": " + e.getMessage(), e);
        }
    }

    /** The model's name in provenance: the shipped file's name or the path given. */
    String describe() {
        return model == null ? "shipped " + ShippedAssets.DDPM : model.toString();
    }

    private static DiffusionGraphSpec parseSpec(String json) {
        try {
            return JSON.readValue(json, DiffusionGraphSpec.class);
        } catch (ValueInstantiationException e) {
            Throwable c = e.getCause();
            if (c instanceof NullPointerException) {
                throw new IllegalArgumentException("field " + c.getMessage() + " is missing", e);
            }
            throw new IllegalArgumentException(c != null && c.getMessage() != null ? c.getMessage()
                    : e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }
}
