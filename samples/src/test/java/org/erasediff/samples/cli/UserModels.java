package org.erasediff.samples.cli;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.erasediff.dl4j.checkpoint.GraphFiles;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A user's files as the CLI tests need them: tiny hand-made SameDiff graphs with their own
 * placeholder names (a noise predictor on 1×8×8 images, conditional or not, and a judge), their
 * spec JSON, and an image folder with two classes.
 */
public final class UserModels {

    /** Spec JSON of {@link #diffusion} with a label input, as a user would write it. */
    public static final String CONDITIONAL_SPEC = """
            {"imageInput": "noisy", "timestepInput": "tstep", "timestepEncoding": "INDEX_FLOAT",
             "labelInput": "klass", "labelEncoding": "INDEX", "numClasses": 2, "nullLabel": 2,
             "output": "eps_hat", "numTimesteps": 1000}
            """;
    /** Spec JSON of the unconditional {@link #diffusion}. */
    public static final String UNCONDITIONAL_SPEC = """
            {"imageInput": "noisy", "timestepInput": "tstep", "timestepEncoding": "INDEX_FLOAT",
             "output": "eps_hat", "numTimesteps": 1000}
            """;

    private UserModels() {
    }

    /**
     * Writes a noise predictor: ε̂ = w ⊙ x + b + t·a (+ a per-class bias table when conditional).
     *
     * @return the model file
     */
    public static Path diffusion(Path file, boolean conditional) throws IOException {
        Nd4j.getRandom().setSeed(3);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("noisy", DataType.FLOAT, -1, 1, 8, 8);
        SDVariable t = sd.placeHolder("tstep", DataType.FLOAT, -1);
        SDVariable w = sd.var("w", Nd4j.rand(DataType.FLOAT, 1, 1, 8, 8).muli(0.5));
        SDVariable b = sd.var("b", Nd4j.zeros(DataType.FLOAT, 1, 1, 8, 8));
        SDVariable a = sd.var("a", Nd4j.randn(DataType.FLOAT, 1, 64).muli(1e-4));
        SDVariable h = x.mul(w).add(b).add(t.reshape(-1, 1).mmul(a).reshape(-1, 1, 8, 8));
        if (conditional) {
            SDVariable c = sd.placeHolder("klass", DataType.INT32, -1);
            SDVariable table = sd.var("table", Nd4j.randn(DataType.FLOAT, 3, 64).muli(0.1));
            h = h.add(sd.oneHot(c, 3).castTo(DataType.FLOAT).mmul(table).reshape(-1, 1, 8, 8));
        }
        sd.identity("eps_hat", h);
        GraphFiles.save(sd, file, false);
        return file;
    }

    /** Writes a judge: features = tanh(flatten(x)·W₁), probabilities = softmax(features·W₂) over 2 classes. */
    public static Path judge(Path file) throws IOException {
        Nd4j.getRandom().setSeed(5);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("pix", DataType.FLOAT, -1, 1, 8, 8);
        SDVariable w1 = sd.var("w1", Nd4j.randn(DataType.FLOAT, 64, 6).muli(0.3));
        SDVariable w2 = sd.var("w2", Nd4j.randn(DataType.FLOAT, 6, 2));
        SDVariable feats = sd.math().tanh("feats", x.reshape(-1, 64).mmul(w1));
        sd.nn().softmax("probs", feats.mmul(w2), 1);
        GraphFiles.save(sd, file, false);
        return file;
    }

    /** Writes an image folder: class "circles" (grey) and "squares" (RGB), 5 images each of 12×12 pixels. */
    public static Path imageFolder(Path root) throws IOException {
        for (int i = 0; i < 5; i++) {
            image(root.resolve("circles"), "c" + i + ".png", true, i, BufferedImage.TYPE_BYTE_GRAY);
            image(root.resolve("squares"), "s" + i + ".png", false, i, BufferedImage.TYPE_INT_RGB);
        }
        return root;
    }

    private static void image(Path dir, String name, boolean circle, int i, int type) throws IOException {
        Files.createDirectories(dir);
        BufferedImage img = new BufferedImage(12, 12, type);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(200 + 10 * i, 180, 40 * i));
        if (circle) {
            g.fillOval(2, 2, 8, 8);
        } else {
            g.fillRect(1 + i / 2, 1, 9, 9);
        }
        g.dispose();
        ImageIO.write(img, "png", dir.resolve(name).toFile());
    }
}
