package org.erasediff.samples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.data.Mnist;
import org.erasediff.dl4j.checkpoint.CorruptModelException;
import org.erasediff.dl4j.checkpoint.GraphFiles;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The data and models that ship inside the samples jar: MNIST (checked against its published
 * checksums on every load) and the trained models under {@code org/erasediff/samples/models/}.
 */
public final class ShippedAssets {

    private static final String MNIST = "/org/erasediff/samples/mnist/";
    /** Classpath folder of the shipped models. */
    public static final String MODELS = "/org/erasediff/samples/models/";
    /** File name of the shipped evaluation classifier ψ. */
    public static final String CLASSIFIER = "mnist-classifier.fb";
    /** File name of the shipped second judge ψ_SA, the replica of Selective Amnesia's MNIST classifier. */
    public static final String CLASSIFIER_SA = "mnist-classifier-sa.fb";
    /** File name of the shipped class-conditional MNIST diffusion model (the "Unscrubbed" model). */
    public static final String DDPM = "mnist-ddpm.fb";

    /** A diffusion model with its card and the SHA-256 of its file. */
    public record LoadedModel(org.erasediff.dl4j.graph.DiffusionGraph graph, ModelCard card, String sha256) {
    }

    private ShippedAssets() {
    }

    /** Loads one MNIST split from the embedded, gzipped idx files. */
    public static LabelledImages mnist(Mnist.Split split) {
        try {
            return Mnist.read(split, open(MNIST + split.imagesFile() + ".gz"), open(MNIST + split.labelsFile() + ".gz"));
        } catch (IOException e) {
            throw new UncheckedIOException("embedded MNIST " + split + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Loads a SameDiff model: from {@code file} if given, otherwise the shipped model {@code shippedName}.
     *
     * @throws IOException if the file is missing or corrupt
     */
    public static SameDiff model(Path file, String shippedName) throws IOException {
        if (file != null) {
            return GraphFiles.load(file, false);
        }
        try (InputStream in = open(MODELS + shippedName)) {
            return GraphFiles.load(in, "shipped model " + shippedName, false);
        }
    }

    /**
     * Loads a diffusion model and its card ({@code <file>.json}): from {@code file} if given, otherwise
     * the shipped MNIST model.
     *
     * @throws IOException if a file is missing or corrupt
     */
    public static LoadedModel diffusionModel(Path file) throws IOException {
        if (file != null) {
            Path cardFile = Path.of(file + ".json");
            if (!java.nio.file.Files.isRegularFile(cardFile)) {
                throw new java.nio.file.NoSuchFileException(cardFile.toString(), null,
                        "model card missing: every model needs <model>.json with its graph spec and schedule");
            }
            ModelCard card = ModelCard.read(cardFile);
            String sha = GraphFiles.sha256(file);
            if (card.modelSha256() != null && !card.modelSha256().equals(sha)) {
                throw new CorruptModelException(file + ": SHA-256 " + sha + " differs from its card's "
                        + card.modelSha256() + " (" + cardFile.getFileName() + "): the model file was altered or "
                        + "corrupted", null);
            }
            return new LoadedModel(card.wrap(GraphFiles.load(file, false)), card, sha);
        }
        byte[] bytes;
        try (InputStream in = open(MODELS + DDPM)) {
            bytes = in.readAllBytes();
        }
        ModelCard card = diffusionCard();
        SameDiff sd = GraphFiles.load(new java.io.ByteArrayInputStream(bytes), "shipped model " + DDPM, false);
        return new LoadedModel(card.wrap(sd), card, sha256(bytes));
    }

    /** The shipped MNIST model's card alone (its spec and noise schedule), without loading the model. */
    public static ModelCard diffusionCard() throws IOException {
        try (InputStream in = open(MODELS + DDPM + ".json")) {
            return ModelCard.read(in, "shipped " + DDPM + ".json");
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = ShippedAssets.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("resource " + resource + " is missing from the classpath (broken build?)");
        }
        return in;
    }
}
