package org.erasediff.samples.cli;

import picocli.CommandLine.Model.CommandSpec;

/** The command line a command was started with, for provenance. */
final class CommandLines {

    private CommandLines() {
    }

    /** {@code ./erasediff <arguments as given>}. */
    static String of(CommandSpec spec) {
        return ("./erasediff " + String.join(" ", spec.commandLine().getParseResult().originalArgs())).trim();
    }
}
