package org.erasediff.samples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code ./erasediff} launcher. */
@Command(name = "erasediff", mixinStandardHelpOptions = true, version = "erasediff 0.1.0",
        description = "EraseDiff for Deeplearning4j: train, unlearn and evaluate diffusion models on MNIST.",
        subcommands = {ClassifierEvalCommand.class, TrainClassifierCommand.class, TrainCommand.class, EvalCommand.class,
                UnlearnCommand.class, CompareCommand.class, BenchCommand.class, SamplerStudyCommand.class,
                CommandLine.HelpCommand.class})
public final class ErasediffCli {

    private ErasediffCli() {
    }

    /** Runs the CLI and exits with the command's status (2 for bad input, 1 for other failures). */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (bad input exits with 2 and one clear line; other failures with 1 and a trace). */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new ErasediffCli());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            boolean badInput = ex instanceof IllegalArgumentException || ex instanceof java.nio.file.NoSuchFileException
                    || ex instanceof org.erasediff.core.data.DataFormatException
                    || ex instanceof org.erasediff.dl4j.checkpoint.CorruptModelException;
            cmd.getErr().println("erasediff " + cmd.getCommandName() + ": error: " + ex.getMessage());
            if (!badInput) {
                ex.printStackTrace(cmd.getErr());
            }
            return badInput ? 2 : 1;
        });
        return cli;
    }
}
