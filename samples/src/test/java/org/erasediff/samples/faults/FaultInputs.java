package org.erasediff.samples.faults;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.erasediff.dl4j.checkpoint.GraphFiles;
import org.erasediff.samples.cli.UserModels;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The user's files every trial starts from, written once by the test fixtures: a tiny conditional
 * noise predictor ({@code model.fb}, 1×8×8) with its spec JSON, a judge, an image folder with two
 * classes, the same kind of images as an idx pair, and an EraseDiff config in the authors'
 * REFERENCE_COMPATIBLE mode. No trial may change any of them.
 */
final class FaultInputs {

    final Path root;
    final Path model;
    final Path spec;
    final Path judge;
    final Path images;
    final Path idxImages;
    final Path idxLabels;
    final Path referenceConfig;

    private FaultInputs(Path root) {
        this.root = root;
        model = root.resolve("model.fb");
        spec = root.resolve("spec.json");
        judge = root.resolve("judge.fb");
        images = root.resolve("images");
        idxImages = root.resolve("images.idx");
        idxLabels = root.resolve("labels.idx");
        referenceConfig = root.resolve("reference.json");
    }

    /** Spec JSON of {@link #unstableModel}. */
    static final String UNSTABLE_SPEC = """
            {"imageInput": "x", "timestepInput": "t", "timestepEncoding": "INDEX_FLOAT", "output": "eps",
             "numTimesteps": 1000}
            """;

    /**
     * Writes an unconditional noise predictor that is NaN for timesteps up to 500: ε̂ = w ⊙ x + 0·log(t − 500)
     * (a numerically unstable user graph: every batch drawing such a timestep turns NaN).
     *
     * @return the model file
     */
    static Path unstableModel(Path file) throws IOException {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 1, 8, 8);
        SDVariable t = sd.placeHolder("t", DataType.FLOAT, -1);
        SDVariable w = sd.var("w", Nd4j.ones(DataType.FLOAT, 1, 1, 8, 8).muli(0.5));
        SDVariable unstable = sd.math().log(t.sub(500.0)).mul(0.0).reshape(-1, 1, 1, 1);
        sd.identity("eps", x.mul(w).add(unstable));
        GraphFiles.save(sd, file, false);
        return file;
    }

    /** Writes the inputs under {@code root}. */
    static FaultInputs write(Path root) throws IOException {
        FaultInputs in = new FaultInputs(root);
        Files.createDirectories(root);
        UserModels.diffusion(in.model, true);
        Files.writeString(in.spec, UserModels.CONDITIONAL_SPEC);
        UserModels.judge(in.judge);
        UserModels.imageFolder(in.images);
        Files.write(in.idxImages, idxImages(6, 8));
        Files.write(in.idxLabels, idxLabels(6));
        Files.writeString(in.referenceConfig, "{\"mode\": \"REFERENCE_COMPATIBLE\", \"referenceInnerEpochs\": 1, "
                + "\"referenceOuterStepsPerRound\": 5, \"updater\": {\"type\": \"ADAM\", \"learningRate\": 0.002}, "
                + "\"seed\": 3}\n");
        return in;
    }

    /** An idx file of {@code n} unsigned-byte images of {@code size}×{@code size} (stripes, two patterns). */
    static byte[] idxImages(int n, int size) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * size * size).putInt(0x0803).putInt(n).putInt(size).putInt(size);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < size * size; p++) {
                b.put((byte) ((p % size < size / 2) == (i % 2 == 0) ? 255 : 0));
            }
        }
        return b.array();
    }

    /** An idx file of {@code n} labels alternating 0, 1. */
    static byte[] idxLabels(int n) {
        ByteBuffer b = ByteBuffer.allocate(8 + n).putInt(0x0801).putInt(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) (i % 2));
        }
        return b.array();
    }

    /**
     * A copy of the model with one value of parameter {@code variable} replaced (NaN or ±Inf).
     *
     * @return the new model file
     */
    Path modelWith(Path file, String variable, float value) throws IOException {
        return modelWith(file, variable, value, 0);
    }

    /** A copy of the model with the value at flat index {@code at} of parameter {@code variable} replaced. */
    Path modelWith(Path file, String variable, float value, long at) throws IOException {
        SameDiff sd = GraphFiles.load(model, false);
        sd.getVariable(variable).getArr().putScalar(at, value);
        GraphFiles.save(sd, file, false);
        return file;
    }
}
