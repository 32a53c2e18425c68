package org.erasediff.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * How many images an evaluation generates: a conditional model 100 per kept class and an unconditional
 * one 600 per class unless {@code --eval-per-class} says otherwise.
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
        assertEquals(new EvalOptions.Counts(100, 500), eval.counts(true));
        assertEquals(new EvalOptions.Counts(600, 500), eval.counts(false));
    }

    /** The unconditional default measures a 10 % share to within 0.4 points (one standard error). */
    @Test
    void theUnconditionalDefaultResolvesAShareToLessThanHalfAPoint() {
        int samples = parse().counts(false).perKept() * 10;
        double standardError = Math.sqrt(0.1 * 0.9 / samples);
        assertEquals(0.0039, standardError, 0.0001);
    }

    @Test
    void aCountGivenWinsForBothKinds() {
        EvalOptions eval = parse("--eval-per-class", "8", "--eval-forget", "6");
        eval.validate();
        assertEquals(new EvalOptions.Counts(8, 6), eval.counts(true));
        assertEquals(new EvalOptions.Counts(8, 6), eval.counts(false));
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
