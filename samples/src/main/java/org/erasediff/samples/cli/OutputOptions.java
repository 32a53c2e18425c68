package org.erasediff.samples.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a command writes ({@code --output}, a new run folder) and how it reports ({@code --json}). */
final class OutputOptions {

    @Option(names = "--output", paramLabel = "DIR", description = "Run folder to create (must not exist; default: a "
            + "new folder runs/${COMMAND-NAME}/<yyyyMMdd-HHmmss>).")
    Path output;

    @Option(names = "--json", description = "Print the figures as one JSON object on one line (instead of a "
            + "readable form).")
    boolean json;

    /**
     * The run folder of this run (not yet created).
     *
     * @throws IllegalArgumentException if an explicit folder exists
     */
    RunFolder folder(String command) {
        return RunFolder.of(output, command);
    }
}
