package org.erasediff.samples.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;

/**
 * One in-process run of the CLI with standard output and error captured (System.out too, so
 * anything a library prints there is seen).
 *
 * @param code exit code
 * @param out  everything written to standard output
 * @param err  everything the CLI wrote to standard error
 */
record CliRun(int code, String out, String err) {

    /** Runs {@code erasediff args…}. */
    static CliRun of(String... args) {
        CommandLine cli = ErasediffCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int code;
        try (PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            code = cli.execute(args);
        } finally {
            System.setOut(original);
        }
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    /** The lines of standard output. */
    List<String> outLines() {
        return out.lines().toList();
    }

    /** The lines of standard error. */
    List<String> errLines() {
        return err.lines().toList();
    }
}
