package org.erasediff.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MembershipRocTest {

    @Test
    void smallRocByHand() {
        // member losses 1, 2, 3 against 2.5, 4, 5, 6: 1 and 2 beat all four, 3 beats three → 11 of 12 pairs
        MembershipRoc r = MembershipRoc.of(new double[] {3, 1, 2}, new double[] {5, 2.5, 6, 4}, 0.25);
        assertEquals(11.0 / 12, r.auc(), 1e-15);
        // k = ⌊0.25·4⌋ = 1: τ below the second-lowest non-member loss (4) catches all three members
        assertEquals(1.0, r.tprAtFpr());
        // no false positive allowed (k = 0): τ below 2.5 catches 1 and 2
        assertEquals(2.0 / 3, MembershipRoc.of(new double[] {3, 1, 2}, new double[] {5, 2.5, 6, 4}, 0.01).tprAtFpr(),
                1e-15);
        assertEquals(3, r.members());
        assertEquals(4, r.nonMembers());
    }

    @Test
    void tiesCountOneHalf() {
        // pairs: 1<2, 1<3, 2=2 (½), 2<3 → 3.5 of 4
        MembershipRoc r = MembershipRoc.of(new double[] {1, 2}, new double[] {2, 3}, 0.01);
        assertEquals(0.875, r.auc(), 1e-15);
        // only the member strictly below the lowest non-member loss counts
        assertEquals(0.5, r.tprAtFpr());
        MembershipRoc same = MembershipRoc.of(new double[] {7, 7, 7}, new double[] {7, 7}, 0.01);
        assertEquals(0.5, same.auc());
        assertEquals(0.0, same.tprAtFpr());
    }

    @Test
    void separatedIsOneReversedIsZeroAndTheSameDistributionIsAboutOneHalf() {
        assertEquals(1.0, MembershipRoc.of(new double[] {0, 0.1}, new double[] {1, 2, 3}, 0.01).auc());
        assertEquals(0.0, MembershipRoc.of(new double[] {5, 6}, new double[] {1, 2, 3}, 0.01).auc());
        Random rng = new Random(4);
        double[] a = new double[2000];
        double[] b = new double[2000];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextGaussian();
            b[i] = rng.nextGaussian();
        }
        MembershipRoc r = MembershipRoc.of(a, b, 0.01);
        assertEquals(0.5, r.auc(), 0.03);
        // at 1 % false positives a coin-toss attack finds about 1 % of members
        assertEquals(0.01, r.tprAtFpr(), 0.01);
    }

    @Test
    void tprAtOnePercentWithManyNonMembers() {
        // 200 non-members with losses 1..200: k = 2, τ below 3; members 0.5, 2.5, 3, 10 → 2 of 4
        double[] non = new double[200];
        for (int i = 0; i < non.length; i++) {
            non[i] = i + 1;
        }
        MembershipRoc r = MembershipRoc.of(new double[] {0.5, 2.5, 3, 10}, non, MembershipRoc.ONE_PERCENT);
        assertEquals(0.5, r.tprAtFpr());
        assertEquals(r.tprAtFpr(), r.toScalars().get("mia_tpr_at_1pct_fpr"));
        assertEquals(r.auc(), r.toScalars().get("mia_auc"));
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> MembershipRoc.of(new double[0], new double[] {1}, 0.01));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MembershipRoc.of(new double[] {1}, new double[] {Double.NaN}, 0.01));
        assertTrue(e.getMessage().contains("nonMemberLosses[0]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MembershipRoc.of(new double[] {1}, new double[] {2}, 1));
    }
}
