package org.erasediff.samples.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Entry point of the {@code ./erasediff} launcher.
 *
 * <p>Exit codes: 0 success, 2 bad input (an unknown or invalid option, a missing, corrupt or
 * inconsistent input file, an output that exists), 1 any other failure. Every error is one line
 * on standard error naming the problem; {@code --verbose} adds the stack trace.
 */
@Command(name = "erasediff", mixinStandardHelpOptions = true, version = "erasediff 0.1.0",
        description = "EraseDiff for Deeplearning4j: unlearn classes or images from diffusion models, "
                + "train and evaluate them (the shipped MNIST models, or your own SameDiff graph and images).",
        footer = {"", "Exit codes: 0 ok, 2 bad input (nothing is written), 1 failure. "
                + "Logs go to standard error; standard output carries only the result."},
        subcommands = {DemoCommand.class, UnlearnCommand.class, SampleCommand.class, EvalCommand.class,
                CompareCommand.class, TrainCommand.class, ClassifierEvalCommand.class, TrainClassifierCommand.class,
                BenchCommand.class, SamplerStudyCommand.class, SweepCommand.class, CommandLine.HelpCommand.class})
public final class ErasediffCli {

    /** Exit code of bad input. */
    static final int BAD_INPUT = 2;
    /** Exit code of any other failure. */
    static final int FAILURE = 1;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Print the stack trace of an error (any command).")
    boolean verbose;

    private ErasediffCli() {
    }

    /** Runs the CLI and exits with the command's status (0 ok, 2 bad input, 1 other failures). */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        // before anything touches ND4J: a CUDA build without a GPU it can run says so in one line
        org.erasediff.samples.BackendCheck.problem().ifPresent(p -> {
            System.err.println("erasediff: " + p);
            System.exit(FAILURE);
        });
        System.exit(commandLine().execute(args));
    }

    /** The configured command line: one-line errors, exit code 2 for bad input and 1 for other failures. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new ErasediffCli());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            boolean badInput = CliErrors.isBadInput(ex);
            PrintWriter err = cmd.getErr();
            err.println("erasediff " + cmd.getCommandName() + ": error: " + CliErrors.oneLine(ex)
                    + (badInput || verbose(parsed) ? "" : " (--verbose prints the stack trace)"));
            if (verbose(parsed)) {
                ex.printStackTrace(err);
            }
            err.flush();
            return badInput ? BAD_INPUT : FAILURE;
        });
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            String name = cmd.getCommandSpec().qualifiedName();
            err.println(name + ": error: " + CliErrors.oneLine(ex) + " (see '" + name + " --help')");
            err.flush();
            return BAD_INPUT;
        });
        return cli;
    }

    private static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
