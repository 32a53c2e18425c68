package org.erasediff.samples.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where a command writes ({@code --output}, a new run folder) and how it reports ({@code --json}). */
final class OutputOptions {

    @Option(names = "--output", paramLabel = "DIR", description = "Run folder to create (must not exist; default: a "
            + "new folder runs/${COMMAND-NAME}/<yyyyMMdd-HHmmss>).")
    Path output;

    @Option(names = "--json", description = "Print the figures as one JSON object on one line (instead of a "
            + "readable form).")
    boolean json;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /**
     * The run folder of this run (not yet created), by default under {@code runs/<command>}.
     *
     * @throws IllegalArgumentException if an explicit folder exists
     */
    RunFolder folder() {
        return RunFolder.of(output, command.name());
    }

    /**
     * The run folder of a run that may continue an interrupted one ({@code --resume}): {@code --output}
     * is required and may hold an earlier run of the same settings.
     *
     * @param settingsFile the file in the folder holding the run's settings
     * @param settings     this run's settings as that file holds them
     * @throws IllegalArgumentException without {@code --output}, or if it holds another run
     */
    RunFolder resumableFolder(String settingsFile, String settings) throws java.io.IOException {
        if (output == null) {
            throw new IllegalArgumentException("--resume needs --output DIR, the run folder to continue");
        }
        return RunFolder.resumable(output, settingsFile, settings);
    }

    /** The command line as given, for provenance. */
    String commandLine() {
        return CommandLines.of(command);
    }
}
