package org.erasediff.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.core.unlearn.ForgetTarget;
import org.erasediff.core.unlearn.LambdaRule;
import org.erasediff.core.unlearn.RemainTarget;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The {@code unlearn} command's MNIST preset is the setting the documented sweep chose
 * ({@code docs/sweep-2}, forgetting digit 0 from the shipped model): a change to either must
 * change the other, with a new sweep to back it.
 */
class EraseDiffPresetTest {

    @Test
    void thePresetIsTheDocumentedSweepsBestCandidate() throws Exception {
        Path best = Path.of("..", "docs", "sweep-2", "best-config.json");
        EraseDiffConfig chosen = EraseDiffConfig.fromJson(Files.readString(best));
        EraseDiffConfig preset = EraseDiffOptions.preset();
        // the grid's log-spaced values carry float rounding: lr 1.999999998e-3
        assertEquals(preset.updater().learningRate(), chosen.updater().learningRate(),
                1e-8 * preset.updater().learningRate());
        assertEquals(preset.updater().type(), chosen.updater().type());
        // and λ too (0.9999999999999999)
        LambdaRule.Fixed presetLambda = (LambdaRule.Fixed) preset.lambdaRule();
        LambdaRule.Fixed chosenLambda = assertInstanceOf(LambdaRule.Fixed.class, chosen.lambdaRule());
        assertEquals(presetLambda.lambda(), chosenLambda.lambda(), 1e-12 * presetLambda.lambda());
        assertEquals(preset.forgetTarget(), chosen.forgetTarget());
        assertEquals(preset.outerSteps(), chosen.outerSteps());
        assertEquals(preset.remainBatchSize(), chosen.remainBatchSize());
        assertEquals(preset.forgetBatchSize(), chosen.forgetBatchSize());
        assertEquals(preset.mode(), chosen.mode());
        assertEquals(preset.emaWarmup(), chosen.emaWarmup());
        assertEquals(preset.seed(), chosen.seed());
    }

    /**
     * An unconditional model gets the same preset with the remain-posterior target from t = 250, the
     * original model as the remain target, Adam 1e-3 and 600 steps (the uniform target does not forget there,
     * the paper's remain loss moves other digits by more than 2 points: README); flags still win.
     */
    @Test
    void anUnconditionalModelGetsTheRemainPosteriorPreset() throws Exception {
        EraseDiffConfig conditional = EraseDiffOptions.preset(true, false);
        EraseDiffConfig unconditional = EraseDiffOptions.preset(false, false);
        assertEquals(EraseDiffOptions.preset(), conditional);
        assertEquals(ForgetTarget.remainPosterior(250), unconditional.forgetTarget());
        assertEquals(RemainTarget.ORIGINAL, unconditional.remainTarget());
        assertEquals(600, unconditional.outerSteps());
        assertEquals(1e-3, unconditional.updater().learningRate());
        assertEquals(conditional.toBuilder().optForgetTarget(ForgetTarget.remainPosterior(250))
                .optRemainTarget(RemainTarget.ORIGINAL).optUpdater(conditional.updater().withLearningRate(1e-3))
                .optOuterSteps(600).build(), unconditional, "nothing else differs");

        EraseDiffOptions flags = new EraseDiffOptions();
        flags.target = ForgetTarget.uniform();
        flags.steps = 50;
        EraseDiffConfig resolved = flags.resolve(false, false);
        assertEquals(ForgetTarget.uniform(), resolved.forgetTarget());
        assertEquals(50, resolved.outerSteps());
        assertEquals(conditional, new EraseDiffOptions().resolve(true, false));
    }

    /**
     * A request naming individual images of a class-conditional model gets the same preset with the
     * own-class remain-posterior target from t = 250 (32 images per class) and 400 steps (the uniform
     * target left a near-copy of one canary, the every-class posterior cost 3.4–4.0 points of
     * accuracy: README); an unconditional model's preset does not depend on the request; flags win.
     */
    @Test
    void aRequestForIndividualImagesGetsTheOwnClassPreset() throws Exception {
        EraseDiffConfig conditional = EraseDiffOptions.preset(true, false);
        EraseDiffConfig images = EraseDiffOptions.preset(true, true);
        assertEquals(conditional.toBuilder().optForgetTarget(ForgetTarget.remainPosteriorSameClass(250, 32))
                .optOuterSteps(400).build(), images, "nothing else differs");
        assertEquals(EraseDiffOptions.preset(false, false), EraseDiffOptions.preset(false, true));
        assertEquals(images, new EraseDiffOptions().resolve(true, true));
        EraseDiffOptions flags = CommandLine.populateCommand(new EraseDiffOptions(), "--target", "uniform",
                "--steps", "200");
        assertEquals(conditional, flags.resolve(true, true));
    }

    /** {@code --remain-target} sets the config's remain target; an unknown value is a one-line error naming it. */
    @Test
    void remainTargetFlag() throws Exception {
        EraseDiffOptions flags = CommandLine.populateCommand(new EraseDiffOptions(), "--remain-target", "original");
        assertEquals(RemainTarget.ORIGINAL, flags.resolve(false, false).remainTarget());
        assertEquals(RemainTarget.NOISE, new EraseDiffOptions().resolve(true, false).remainTarget());
        assertEquals(RemainTarget.NOISE, CommandLine.populateCommand(new EraseDiffOptions(), "--remain-target", "noise")
                .resolve(false, false).remainTarget(), "the flag overrides the unconditional preset");
        EraseDiffConfig weighted = CommandLine.populateCommand(new EraseDiffOptions(), "--remain-target",
                "original-without-forget:0.5").resolve(false, false);
        assertEquals(RemainTarget.ORIGINAL_WITHOUT_FORGET, weighted.remainTarget());
        assertEquals(0.5, weighted.remainOriginalWeight());
        IllegalArgumentException conditional = assertThrows(IllegalArgumentException.class, () -> CommandLine
                .populateCommand(new EraseDiffOptions(), "--remain-target", "original-without-forget").resolve(true, false));
        assertTrue(conditional.getMessage().contains("for unconditional models"), conditional.getMessage());
        for (String[] bad : new String[][] {{"teacher", "unknown remain target 'teacher'"},
                {"original:0", "the weight must be in (0, 1], was 0.0"}, {"original:x", "needs a weight in (0, 1]"},
                {"noise:0.5", "noise takes no weight"}}) {
            CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                    () -> CommandLine.populateCommand(new EraseDiffOptions(), "--remain-target", bad[0]));
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
