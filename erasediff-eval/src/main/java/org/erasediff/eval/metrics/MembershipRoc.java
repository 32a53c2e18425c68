package org.erasediff.eval.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ROC summary of a loss-based membership-inference attack: members (images the model was
 * trained on) should have a lower loss than non-members (held-out images), so the attack calls an
 * image a member when its loss is at most a threshold τ.
 *
 * <ul>
 *   <li>{@code auc}: the area under the ROC curve, the probability that a random member has a
 *       lower loss than a random non-member, ties counting one half (the Mann–Whitney statistic).
 *       1 means the losses separate members perfectly, 0.5 that the attack is a coin toss, below
 *       0.5 that members now have the <em>higher</em> loss.</li>
 *   <li>{@code tprAtFpr}: the largest share of members called members by any τ that calls at
 *       most {@code ⌊maxFpr·m⌋} of the {@code m} non-members members: with non-member losses sorted
 *       ascending {@code s_0 ≤ … ≤ s_{m−1}} and {@code k = ⌊maxFpr·m⌋}, the share of members whose
 *       loss is strictly below {@code s_k} (all members when {@code k = m}). With fewer than
 *       {@code 1/maxFpr} non-members {@code k = 0}: no false positive is allowed.</li>
 * </ul>
 *
 * @param auc        area under the ROC curve, in [0, 1]
 * @param tprAtFpr   true-positive rate at a false-positive rate of at most {@code maxFpr}
 * @param maxFpr     the false-positive rate allowed, in (0, 1)
 * @param members    number of members
 * @param nonMembers number of non-members
 */
public record MembershipRoc(double auc, double tprAtFpr, double maxFpr, int members, int nonMembers) {

    /** The false-positive rate the deletion evidence reports the true-positive rate at: 1 %. */
    public static final double ONE_PERCENT = 0.01;

    /**
     * Computes the summary from the losses.
     *
     * @param memberLosses    one loss per member, finite, at least one; not modified
     * @param nonMemberLosses one loss per non-member, finite, at least one; not modified
     * @param maxFpr          the false-positive rate allowed, in (0, 1)
     * @throws IllegalArgumentException if a set is empty, a loss is not finite or maxFpr is out of range
     */
    public static MembershipRoc of(double[] memberLosses, double[] nonMemberLosses, double maxFpr) {
        requireLosses(memberLosses, "memberLosses");
        requireLosses(nonMemberLosses, "nonMemberLosses");
        if (!(maxFpr > 0 && maxFpr < 1)) {
            throw new IllegalArgumentException("maxFpr must be in (0, 1), found " + maxFpr);
        }
        double[] members = memberLosses.clone();
        double[] nonMembers = nonMemberLosses.clone();
        Arrays.sort(members);
        Arrays.sort(nonMembers);
        // for every member: non-members with a higher loss count 1, equal ones 1/2
        double wins = 0;
        for (double loss : members) {
            int below = lowerBound(nonMembers, loss);
            int atOrBelow = upperBound(nonMembers, loss);
            wins += (nonMembers.length - atOrBelow) + 0.5 * (atOrBelow - below);
        }
        double auc = wins / ((double) members.length * nonMembers.length);
        int k = (int) Math.floor(maxFpr * nonMembers.length + 1e-9);
        int caught = k >= nonMembers.length ? members.length : lowerBound(members, nonMembers[k]);
        return new MembershipRoc(auc, caught / (double) members.length, maxFpr, members.length, nonMembers.length);
    }

    /** {@code mia_auc} and {@code mia_tpr_at_1pct_fpr} (the latter only when {@code maxFpr} is 1 %). */
    public Map<String, Double> toScalars() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("mia_auc", auc);
        if (maxFpr == ONE_PERCENT) {
            out.put("mia_tpr_at_1pct_fpr", tprAtFpr);
        }
        return out;
    }

    private static void requireLosses(double[] losses, String name) {
        if (losses == null || losses.length == 0) {
            throw new IllegalArgumentException(name + " must hold at least one loss");
        }
        for (int i = 0; i < losses.length; i++) {
            if (!Double.isFinite(losses[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] is not finite: " + losses[i]);
            }
        }
    }

    /** Number of entries of the sorted array strictly below {@code v}. */
    private static int lowerBound(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Number of entries of the sorted array at most {@code v}. */
    private static int upperBound(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
