package org.erasediff.eval.deletion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.sampling.NoisePredictor;
import org.erasediff.core.schedule.NoiseSchedule;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MembershipInferenceTest {

    private static final NoiseSchedule SCHEDULE = NoiseSchedule.linear();
    private static final MembershipInferenceConfig SMALL = MembershipInferenceConfig.builder()
            .optTimesteps(List.of(20, 100, 300)).optNoisesPerTimestep(2).optBatchSize(7).build();

    /** {@code n} random 1×4×4 images, labels cycling over 2 classes, ids from {@code firstId}. */
    private static LabelledImages images(int n, long seed, int firstId) {
        Random r = new Random(seed);
        byte[] px = new byte[n * 16];
        r.nextBytes(px);
        return new LabelledImages("random" + seed, 1, 4, 4, 2, px, IntStream.range(0, n).map(i -> i % 2).toArray(),
                IntStream.range(firstId, firstId + n).toArray());
    }

    /** An unconditional model computing its prediction with {@code f}. */
    private static NoisePredictor unconditional(java.util.function.BiFunction<INDArray, int[], INDArray> f) {
        return new NoisePredictor() {
            @Override
            public INDArray predictNoise(INDArray xt, int[] timesteps, int[] labels) {
                return f.apply(xt, timesteps);
            }

            @Override
            public boolean isConditional() {
                return false;
            }
        };
    }

    /**
     * Knows the members: predicts the noise that turns the member nearest to x_t/√ᾱ_t into x_t,
     * which is the exact noise for a member and a wrong one for any other image.
     */
    private static NoisePredictor memoriser(LabelledImages members) {
        INDArray m = Nd4j.create(DataType.FLOAT, members.size(), 1, 4, 4);
        members.copyScaled(IntStream.range(0, members.size()).toArray(), m, null);
        float[][] rows = m.reshape(members.size(), 16).toFloatMatrix();
        return unconditional((xt, timesteps) -> {
            float[][] x = xt.reshape(xt.size(0), 16).toFloatMatrix();
            float[][] out = new float[x.length][16];
            for (int i = 0; i < x.length; i++) {
                double a = SCHEDULE.sqrtAlphaBar(timesteps[i]);
                double b = SCHEDULE.sqrtOneMinusAlphaBar(timesteps[i]);
                double best = Double.POSITIVE_INFINITY;
                for (float[] row : rows) {
                    double norm = 0;
                    float[] eps = new float[16];
                    for (int p = 0; p < 16; p++) {
                        eps[p] = (float) ((x[i][p] - a * row[p]) / b);
                        norm += eps[p] * eps[p];
                    }
                    if (norm < best) {
                        best = norm;
                        out[i] = eps;
                    }
                }
            }
            return Nd4j.createFromArray(out).reshape(xt.shape());
        });
    }

    @Test
    void aModelExactOnMembersAndWrongOnOthersIsFoundOut() {
        LabelledImages members = images(6, 1, 0);
        LabelledImages held = images(20, 2, 100);
        // low noise, where the member nearest to x_t is the image it came from
        MembershipInferenceConfig low = MembershipInferenceConfig.builder().optTimesteps(List.of(5, 20, 50)).build();
        MembershipInference.Result r = new MembershipInference(SCHEDULE, low).attack(memoriser(members), members, held);
        for (double loss : r.memberLosses()) {
            assertEquals(0, loss, 1e-6, "exact on members");
        }
        assertTrue(r.meanNonMemberLoss() > 0.1, "non-members " + r.meanNonMemberLoss());
        assertEquals(1.0, r.roc().auc());
        assertEquals(1.0, r.roc().tprAtFpr());
    }

    @Test
    void aModelThatBehavesTheSameOnEveryImageGivesOneHalf() {
        // ε̂ = 0 for every input: each image's loss is the mean square of the same fixed noises
        NoisePredictor zero = unconditional((xt, t) -> Nd4j.zeros(DataType.FLOAT, xt.shape()));
        MembershipInference.Result r = new MembershipInference(SCHEDULE, SMALL).attack(zero, images(5, 3, 0),
                images(9, 4, 50));
        assertEquals(r.memberLosses()[0], r.nonMemberLosses()[8], 0.0, "the same noises for every image");
        assertEquals(0.5, r.roc().auc());
        assertEquals(0.0, r.roc().tprAtFpr());
    }

    @Test
    void membersAndNonMembersFromOneDistributionGiveAboutOneHalf() {
        // a fixed, input-dependent model that saw neither set
        NoisePredictor halfway = unconditional((xt, t) -> xt.mul(0.5));
        MembershipInference.Result r = new MembershipInference(SCHEDULE, SMALL).attack(halfway, images(300, 5, 0),
                images(300, 6, 1000));
        assertEquals(0.5, r.roc().auc(), 0.06);
    }

    @Test
    void lossesDependOnTheImageAloneNotOnItsBatchOrPositionAndConditionalModelsGetTheImagesLabel() {
        LabelledImages set = images(9, 7, 0);
        int[][] seen = new int[1][];
        NoisePredictor byLabel = new NoisePredictor() {
            @Override
            public INDArray predictNoise(INDArray xt, int[] timesteps, int[] labels) {
                seen[0] = labels;
                INDArray out = xt.mul(0.3);
                for (int i = 0; i < labels.length; i++) {
                    out.slice(i).addi(labels[i]);
                }
                return out;
            }

            @Override
            public boolean isConditional() {
                return true;
            }
        };
        double[] a = new MembershipInference(SCHEDULE, SMALL).losses(byLabel, set);
        MembershipInferenceConfig oneBatch = MembershipInferenceConfig.builder().optTimesteps(SMALL.timesteps())
                .optNoisesPerTimestep(2).optBatchSize(100).build();
        double[] b = new MembershipInference(SCHEDULE, oneBatch).losses(byLabel, set);
        assertArrayEquals(set.labels(), seen[0]);
        assertArrayEquals(a, b, 1e-6);
        double[] reversed = new MembershipInference(SCHEDULE, SMALL).losses(byLabel,
                set.subset(IntStream.range(0, 9).map(i -> 8 - i).toArray(), "reversed"));
        assertEquals(a[0], reversed[8], 1e-6);
    }

    @Test
    void configRoundTripsAndRejectsBadValues() {
        assertEquals(SMALL, MembershipInferenceConfig.fromJson(SMALL.toJson()));
        assertEquals(MembershipInferenceConfig.builder().build(),
                MembershipInferenceConfig.fromJson(MembershipInferenceConfig.builder().build().toJson()));
        assertThrows(IllegalArgumentException.class, () -> MembershipInferenceConfig.builder()
                .optTimesteps(List.of(5, 5)).build());
        assertThrows(IllegalArgumentException.class, () -> MembershipInferenceConfig.builder()
                .optNoisesPerTimestep(0).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MembershipInferenceConfig.fromJson("{\"timesteps\":[1],\"noisesPerTimestep\":1,\"seed\":1,"
                        + "\"batchSize\":0}"));
        assertTrue(e.getMessage().contains("batchSize"), e.getMessage());
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class, () -> new MembershipInference(
                SCHEDULE, MembershipInferenceConfig.builder().optTimesteps(List.of(1000)).build()));
        assertTrue(outside.getMessage().contains("1000"), outside.getMessage());
    }
}
