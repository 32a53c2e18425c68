package org.erasediff.core.unlearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.erasediff.core.optim.NanPolicy;
import org.erasediff.core.optim.ParameterSelection;
import org.erasediff.core.optim.UpdaterSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class EraseDiffConfigTest {

    private static String message(Executable build) {
        return assertThrows(IllegalArgumentException.class, build).getMessage();
    }

    @Test
    void defaultsFollowThePaper() {
        EraseDiffConfig c = EraseDiffConfig.defaults();
        assertEquals(EraseDiffConfig.Mode.FAITHFUL, c.mode());
        assertEquals(200, c.outerSteps());
        assertEquals(UpdaterSettings.adam(1e-4), c.updater());
        assertEquals(2, c.innerSteps());
        assertEquals(0.01, c.innerStepSize());
        assertEquals(LambdaRule.fixed(0.1), c.lambdaRule());
        assertEquals(ForgetTarget.uniform(), c.forgetTarget());
        assertEquals(RemainTarget.NOISE, c.remainTarget());
        assertEquals(1.0, c.clipNorm());
        assertEquals(0.99, c.emaDecay());
        assertEquals(128, c.remainBatchSize());
        assertEquals(128, c.forgetBatchSize());
        assertEquals(2, c.referenceInnerEpochs());
        assertEquals(10, c.referenceOuterStepsPerRound());
        assertEquals(NanPolicy.defaults(), c.nanPolicy());
        assertEquals(ParameterSelection.all(), c.parameters());
        assertNull(c.earlyStop());
        assertTrue(c.clipsGradients());
        assertTrue(c.keepsEma());
        assertFalse(c.monitorQ());
    }

    @Test
    void validationNamesTheFieldAndRange() {
        assertEquals("innerSteps must be >= 0, was -1",
                message(() -> EraseDiffConfig.builder().optInnerSteps(-1).build()));
        assertEquals("outerSteps must be >= 1, was 0",
                message(() -> EraseDiffConfig.builder().optOuterSteps(0).build()));
        assertEquals("lambda must be >= 0 and finite, was -0.1",
                message(() -> EraseDiffConfig.builder().optLambdaRule(LambdaRule.fixed(-0.1)).build()));
        assertEquals("learningRate must be > 0 and finite (at most 3.4028235E38, the float range), was 0.0",
                message(() -> EraseDiffConfig.builder().optUpdater(UpdaterSettings.adam(0.0)).build()));
        assertEquals("innerStepSize must be > 0 and finite, was 0.0",
                message(() -> EraseDiffConfig.builder().optInnerStepSize(0.0).build()));
        assertEquals("clipNorm must be > 0 (or 0 to disable clipping) and finite, was -1.0",
                message(() -> EraseDiffConfig.builder().optClipNorm(-1.0).build()));
        assertEquals("emaDecay must be in [0, 1) (0 disables the EMA), was 1.0",
                message(() -> EraseDiffConfig.builder().optEmaDecay(1.0).build()));
        assertEquals("remainBatchSize must be >= 1, was 0",
                message(() -> EraseDiffConfig.builder().optRemainBatchSize(0).build()));
        assertEquals("referenceOuterStepsPerRound must be >= 1, was 0",
                message(() -> EraseDiffConfig.builder().optReferenceOuterStepsPerRound(0).build()));
        assertEquals("mode must be FAITHFUL or REFERENCE_COMPATIBLE, was null",
                message(() -> EraseDiffConfig.builder().optMode(null).build()));
    }

    @Test
    void crossFieldValidation() {
        assertEquals("innerSteps must be >= 1 when q is needed (lambdaRule ValueGap[eta=1.0] uses q) in FAITHFUL "
                        + "mode, was 0",
                message(() -> EraseDiffConfig.builder().optLambdaRule(LambdaRule.valueGap(1.0)).optInnerSteps(0).build()));
        assertEquals("monitorQ applies to FAITHFUL mode only: REFERENCE_COMPATIBLE always reports the round's "
                        + "constant c and q = L_f - c; leave monitorQ false",
                message(() -> EraseDiffConfig.builder().optMode(EraseDiffConfig.Mode.REFERENCE_COMPATIBLE)
                        .optMonitorQ(true).build()));
        assertEquals("lambdaRule must be FIXED in REFERENCE_COMPATIBLE mode (the authors' weighted sum), was "
                        + "BomeRatio[eta=0.1]",
                message(() -> EraseDiffConfig.builder().optMode(EraseDiffConfig.Mode.REFERENCE_COMPATIBLE)
                        .optLambdaRule(new LambdaRule.BomeRatio(0.1)).build()));
        assertEquals("earlyStop.metric CONSTRAINT_GAP needs q: REFERENCE_COMPATIBLE measures it only with "
                        + "referenceInnerEpochs >= 1, was 0",
                message(() -> EraseDiffConfig.builder().optMode(EraseDiffConfig.Mode.REFERENCE_COMPATIBLE)
                        .optReferenceInnerEpochs(0)
                        .optEarlyStop(EarlyStopSettings.on(EarlyStopSettings.Metric.CONSTRAINT_GAP)).build()));
        assertTrue(message(() -> EraseDiffConfig.builder()
                .optEarlyStop(EarlyStopSettings.on(EarlyStopSettings.Metric.CONSTRAINT_GAP)).build())
                .startsWith("earlyStop.metric CONSTRAINT_GAP needs q every step"));
        // K = 0 is fine when nothing needs q
        assertEquals(0, EraseDiffConfig.builder().optInnerSteps(0).build().innerSteps());
    }

    @Test
    void disablingClippingAndEma() {
        EraseDiffConfig c = EraseDiffConfig.builder().optClipNorm(0.0).optEmaDecay(0.0).build();
        assertFalse(c.clipsGradients());
        assertFalse(c.keepsEma());
    }

    @Test
    void innerLoopRunsOnlyWhenItCanMatter() {
        assertFalse(EraseDiffConfig.defaults().runsInnerLoop());
        assertTrue(EraseDiffConfig.builder().optMonitorQ(true).build().runsInnerLoop());
        assertTrue(EraseDiffConfig.builder().optLambdaRule(LambdaRule.valueGap(1)).build().runsInnerLoop());
        assertFalse(EraseDiffConfig.builder().optLambdaRule(LambdaRule.bomeRatio(1)).build().runsInnerLoop());
        EraseDiffConfig reference = EraseDiffConfig.builder().optMode(EraseDiffConfig.Mode.REFERENCE_COMPATIBLE).build();
        assertTrue(reference.runsInnerLoop());
        assertFalse(reference.toBuilder().optReferenceInnerEpochs(0).build().runsInnerLoop());
    }

    @Test
    void jsonRoundTripOfEveryField() {
        EraseDiffConfig c = EraseDiffConfig.builder()
                .optMode(EraseDiffConfig.Mode.FAITHFUL)
                .optOuterSteps(37)
                .optUpdater(new UpdaterSettings(UpdaterSettings.Type.SGD, 0.02, 0.8, 0.99, 1e-6))
                .optInnerSteps(5)
                .optInnerStepSize(0.003)
                .optLambdaRule(LambdaRule.valueGap(1.5))
                .optForgetTarget(ForgetTarget.fixedClass(4))
                .optRemainTarget(RemainTarget.ORIGINAL)
                .optRemainOriginalWeight(0.25)
                .optClipNorm(0.0)
                .optEmaDecay(0.999)
                .optEmaWarmup(false)
                .optRemainBatchSize(64)
                .optForgetBatchSize(32)
                .optSeed(-123456789012345L)
                .optMonitorQ(true)
                .optReferenceInnerEpochs(3)
                .optReferenceOuterStepsPerRound(7)
                .optNanPolicy(new NanPolicy(1, 0.25))
                .optParameters(ParameterSelection.of(List.of("attn2"), List.of("bias$")))
                .optEarlyStop(new EarlyStopSettings(EarlyStopSettings.Metric.CONSTRAINT_GAP, 5, 1e-3, 0.5))
                .build();
        String json = c.toJson();
        assertEquals(c, EraseDiffConfig.fromJson(json));
        assertTrue(json.contains("\"type\" : \"VALUE_GAP\""), json);
        assertTrue(json.contains("\"remainTarget\" : \"ORIGINAL\""), json);
        assertEquals(c, c.toBuilder().build());
        assertEquals(EraseDiffConfig.defaults(), EraseDiffConfig.fromJson(EraseDiffConfig.defaults().toJson()));
    }

    /** The default remain target is left out of the JSON, so configs and checkpoints written before it existed read the same. */
    @Test
    void theDefaultRemainTargetIsLeftOutOfTheJson() {
        assertFalse(EraseDiffConfig.defaults().toJson().contains("remainTarget"));
        assertEquals(RemainTarget.ORIGINAL, EraseDiffConfig.fromJson("{\"remainTarget\": \"ORIGINAL\"}").remainTarget());
        assertEquals("remainTarget must be NOISE, ORIGINAL or ORIGINAL_WITHOUT_FORGET, was null",
                message(() -> EraseDiffConfig.builder().optRemainTarget(null).build()));
        assertTrue(message(() -> EraseDiffConfig.fromJson("{\"remainTarget\": \"TEACHER\"}")).contains("TEACHER"));
        assertFalse(EraseDiffConfig.builder().optRemainTarget(RemainTarget.ORIGINAL).build().toJson()
                .contains("remainOriginalWeight"), "weight 1 is left out");
        assertEquals(0.5, EraseDiffConfig.fromJson("{\"remainTarget\": \"ORIGINAL\", \"remainOriginalWeight\": 0.5}")
                .remainOriginalWeight());
        for (double bad : new double[] {0, -0.5, 1.5, Double.NaN}) {
            assertEquals("remainOriginalWeight must be in (0, 1], was " + bad, message(() -> EraseDiffConfig.builder()
                    .optRemainTarget(RemainTarget.ORIGINAL).optRemainOriginalWeight(bad).build()));
        }
        assertTrue(message(() -> EraseDiffConfig.builder().optRemainOriginalWeight(0.5).build())
                .startsWith("remainOriginalWeight weighs the original model's prediction"));
    }

    @Test
    void jsonFillsDefaultsAndRejectsBadInput() {
        EraseDiffConfig partial = EraseDiffConfig.fromJson(
                "{\"outerSteps\": 50, \"lambdaRule\": {\"type\": \"BOME_RATIO\", \"eta\": 0.5}, "
                        + "\"updater\": {\"learningRate\": 0.001}}");
        assertEquals(EraseDiffConfig.builder().optOuterSteps(50).optLambdaRule(LambdaRule.bomeRatio(0.5))
                .optUpdater(UpdaterSettings.adam(0.001)).build(), partial);
        assertEquals(EraseDiffConfig.defaults(), EraseDiffConfig.fromJson("{}"));

        assertEquals("innerSteps must be >= 0, was -2", message(() -> EraseDiffConfig.fromJson("{\"innerSteps\": -2}")));
        assertEquals("lambda must be >= 0 and finite, was -1.0",
                message(() -> EraseDiffConfig.fromJson("{\"lambdaRule\": {\"type\": \"FIXED\", \"lambda\": -1}}")));
        assertTrue(message(() -> EraseDiffConfig.fromJson("{\"innerStep\": 3}")).contains("innerStep"));
        assertTrue(message(() -> EraseDiffConfig.fromJson("{not json")).startsWith("invalid EraseDiff configuration JSON"));
    }
}
