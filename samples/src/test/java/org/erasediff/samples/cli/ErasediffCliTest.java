package org.erasediff.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ErasediffCliTest {

    @TempDir
    Path dir;

    private record Run(int code, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = ErasediffCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, err.toString());
    }

    @Test
    void unlearnNeedsExactlyOneForgetRequest() {
        Run none = run("unlearn", "--no-eval");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("exactly one of --forget-class, --forget-ids or --forget-ids-file"), none.err());
        Run both = run("unlearn", "--forget-class", "0", "--forget-ids", "3", "--no-eval");
        assertEquals(2, both.code());
    }

    @Test
    void errorsAreOneLineAndVerboseAddsTheStackTrace() {
        Run plain = run("unlearn", "--forget-class", "0", "--config", dir.resolve("none.yaml").toString());
        assertEquals(2, plain.code());
        assertEquals(1, plain.err().lines().count(), plain.err());
        assertTrue(plain.err().startsWith("erasediff unlearn: error: no such file: "), plain.err());
        Run verbose = run("--verbose", "unlearn", "--forget-class", "0", "--config",
                dir.resolve("none.yaml").toString());
        assertEquals(2, verbose.code());
        assertTrue(verbose.err().lines().count() > 3 && verbose.err().contains("NoSuchFileException"), verbose.err());
        Run perCommand = run("unlearn", "--verbose", "--forget-class", "0", "--config",
                dir.resolve("none.yaml").toString());
        assertTrue(perCommand.err().contains("\tat "), perCommand.err());
        Run unknown = run("demo", "--frobnicate");
        assertEquals(2, unknown.code());
        assertEquals("erasediff demo: error: Unknown option: '--frobnicate' (see 'erasediff demo --help')",
                unknown.err().strip());
    }

    @Test
    void demoRefusesAnExistingOutputBeforeAnyWork() throws Exception {
        Path taken = Files.createDirectories(dir.resolve("taken"));
        Run r = run("demo", "--output", taken.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("exists"), r.err());
        try (var s = Files.list(taken)) {
            assertEquals(0, s.count());
        }
        Run bad = run("demo", "--eval-per-class", "1", "--output", dir.resolve("d").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--eval-per-class must be >= 4"), bad.err());
        assertTrue(!Files.exists(dir.resolve("d")));
        Run never = run("demo", "--checkpoint-every", "0", "--output", dir.resolve("d").toString());
        assertEquals(2, never.code());
        assertEquals("erasediff demo: error: --checkpoint-every must be >= 1, was 0", never.err().strip());
        assertTrue(!Files.exists(dir.resolve("d")));
    }

    @Test
    void helpListsEveryOptionOfTheNewCommands() {
        for (String cmd : new String[] {"demo", "unlearn", "sample"}) {
            CommandLine cli = ErasediffCli.commandLine();
            StringWriter out = new StringWriter();
            cli.setOut(new PrintWriter(out));
            assertEquals(0, cli.execute(cmd, "--help"));
            CommandLine sub = cli.getSubcommands().get(cmd);
            for (var o : sub.getCommandSpec().options()) {
                assertTrue(out.toString().contains(o.longestName()), cmd + " --help lists " + o.longestName());
                assertTrue(o.hidden() || o.description().length > 0 && !o.description()[0].isBlank(),
                        cmd + " " + o.longestName() + " has a description");
            }
        }
    }

    @Test
    void compareRejectsAnUnknownMethodBeforeAnyWork() {
        Run r = run("compare", "--methods", "erasediff,retrain-from-scratch", "--out", dir.resolve("c").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown method 'retrain-from-scratch'"), r.err());
        assertTrue(!Files.exists(dir.resolve("c")), "nothing was written");
        Run steps = run("compare", "--steps", "0", "--out", dir.resolve("c").toString());
        assertEquals(2, steps.code());
        assertTrue(steps.err().contains("must be >= 1"), steps.err());
        assertTrue(!Files.exists(dir.resolve("c")), "a bad setting fails before any work");
    }

    @Test
    void forgettingTargetsParseAndBadOnesAreNamed() {
        ForgetTargetConverter c = new ForgetTargetConverter();
        assertEquals(org.erasediff.core.unlearn.ForgetTarget.uniform(), c.convert("uniform"));
        assertEquals(org.erasediff.core.unlearn.ForgetTarget.randomOtherClass(), c.convert("random-other"));
        assertEquals(org.erasediff.core.unlearn.ForgetTarget.fixedClass(3), c.convert("class:3"));
        assertEquals(org.erasediff.core.unlearn.ForgetTarget.anchorLabel(-1), c.convert("anchor:-1"));
        assertEquals(org.erasediff.core.unlearn.ForgetTarget.shiftedGaussian(0.5), c.convert("shifted:0.5"));
        assertEquals(org.erasediff.core.unlearn.ForgetTarget.remainPosterior(100), c.convert("remain"));
        assertEquals(org.erasediff.core.unlearn.ForgetTarget.remainPosterior(250), c.convert("remain:250"));
        assertEquals(org.erasediff.core.unlearn.ForgetTarget.remainPosterior(250, 1024), c.convert("remain:250:1024"));
        assertEquals(org.erasediff.core.unlearn.ForgetTarget.remainPosterior(250, 0, 4.0), c.convert("remain:250:0:4"));
        assertEquals(org.erasediff.core.unlearn.ForgetTarget.remainPosteriorSameClass(100, 32),
                c.convert("remain-same-class"));
        assertEquals(org.erasediff.core.unlearn.ForgetTarget.remainPosteriorSameClass(250, 32),
                c.convert("remain-same-class:250"));
        assertEquals(org.erasediff.core.unlearn.ForgetTarget.remainPosteriorSameClass(250, 25),
                c.convert("remain-same-class:250:25"));
        assertThrows(picocli.CommandLine.TypeConversionException.class, () -> c.convert("remain-same-class:250:0"));
        assertThrows(picocli.CommandLine.TypeConversionException.class, () -> c.convert("remain-same-class:1:2:3"));
        assertThrows(picocli.CommandLine.TypeConversionException.class, () -> c.convert("remain:250:0:0"));
        assertThrows(picocli.CommandLine.TypeConversionException.class, () -> c.convert("remain:250:0:4:1"));
        Run negative = run("unlearn", "--forget-class", "0", "--target", "remain:-3", "--no-eval");
        assertEquals(2, negative.code());
        assertTrue(negative.err().contains("minTimestep must be >= 0, was -3"), negative.err());
        Path late = dir.resolve("late");
        Run tooLate = run("unlearn", "--forget-class", "0", "--target", "remain:1000", "--no-eval", "--output",
                late.toString());
        assertEquals(2, tooLate.code(), tooLate.err());
        assertTrue(tooLate.err().contains("1000"), tooLate.err());
        assertTrue(!Files.exists(late), "a setting only the run can check leaves no folder behind");
        Run bad = run("unlearn", "--forget-class", "0", "--target", "gaussian", "--no-eval");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("unknown forgetting target 'gaussian'"), bad.err());
        Run noValue = run("unlearn", "--forget-class", "0", "--target", "class:", "--no-eval");
        assertTrue(noValue.err().contains("needs a value"), noValue.err());
    }

    @Test
    void unlearnNeverOverwritesItsInput() throws Exception {
        Path model = Files.writeString(dir.resolve("m.fb"), "x");
        Run r = run("unlearn", "--forget-class", "0", "--model", model.toString(), "--output", model.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("output " + model + " exists"), r.err());
        assertEquals("x", Files.readString(model));
    }

    @Test
    void missingOrCorruptModelsFailClearly() throws Exception {
        Run missing = run("classifier-eval", "--model", dir.resolve("none.fb").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("none.fb"), missing.err());
        Path corrupt = Files.writeString(dir.resolve("bad.fb"), "definitely not a flatbuffers graph, but long enough");
        Run bad = run("classifier-eval", "--model", corrupt.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("bad.fb"), bad.err());
        Run noCard = run("eval", "--model", corrupt.toString());
        assertEquals(2, noCard.code());
        assertTrue(noCard.err().contains("model card missing"), noCard.err());
    }
}
