package org.erasediff.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * How many images an evaluation generates: a conditional model 100 per kept class, an unconditional one
 * forgetting classes 600 per class (100 for individual images) unless {@code --eval-per-class} says otherwise.
 */
class EvalOptionsTest {

    @Command(name = "probe")
    static final class Probe {
        @Mixin
        EvalOptions eval = new EvalOptions();
    }

    private static EvalOptions parse(String... args) {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs(args);
        return probe.eval;
    }

    @Test
    void eachModelKindHasItsOwnDefault() {
        EvalOptions eval = parse();
        eval.validate();
        assertEquals(new EvalOptions.Counts(100, 500), eval.counts(true, true));
        assertEquals(new EvalOptions.Counts(100, 500), eval.counts(true, false));
        assertEquals(new EvalOptions.Counts(600, 500), eval.counts(false, true));
        assertEquals(new EvalOptions.Counts(100, 500), eval.counts(false, false), "individual images: no class shares");
    }

    /**
     * The unconditional default measures a share of 10 % (MNIST's ten digits) to within 0.4 points, one standard
     * error, where the conditional default's count would leave it at about 1 point: too coarse for a 2-point bar.
     */
    @Test
    void theUnconditionalDefaultResolvesAShareOfTenClassesToLessThanHalfAPoint() {
        double share = 0.1;
        int classes = 10;
        double standardError = Math.sqrt(share * (1 - share) / (parse().counts(false, true).perKept() * classes));
        double coarse = Math.sqrt(share * (1 - share) / (parse().counts(true, true).perKept() * classes));
        assertTrue(standardError < 0.004, "standard error " + standardError);
        assertTrue(coarse > 0.009, "standard error at the conditional count " + coarse);
    }

    @Test
    void aCountGivenWinsForBothKinds() {
        EvalOptions eval = parse("--eval-per-class", "8", "--eval-forget", "6");
        eval.validate();
        assertEquals(new EvalOptions.Counts(8, 6), eval.counts(true, true));
        assertEquals(new EvalOptions.Counts(8, 6), eval.counts(false, true));
        assertEquals(new EvalOptions.Counts(8, 6), eval.counts(false, false));
    }

    @Test
    void tooFewImagesAreRefusedBeforeAnythingLoads() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("--eval-per-class", "3").validate());
        assertEquals("--eval-per-class must be >= 4 (precision/recall compares 3 neighbours), was 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse("--eval-forget", "1").validate());
        assertEquals("--eval-forget must be >= 2 (FID needs a covariance), was 1", e.getMessage());
        parse("--eval-per-class", "3", "--no-eval").validate();
    }
}
