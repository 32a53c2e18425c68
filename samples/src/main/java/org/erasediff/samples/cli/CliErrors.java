package org.erasediff.samples.cli;

import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import org.erasediff.core.data.DataFormatException;
import org.erasediff.dl4j.checkpoint.CorruptModelException;

/** How the CLI reports an exception: bad input or failure, in one line. */
final class CliErrors {

    private CliErrors() {
    }

    /**
     * Whether the exception is bad input: an invalid argument, a missing file, an output that
     * exists, undecodable data or a corrupt model (also when wrapped in an UncheckedIOException).
     * Anything else, whatever its causes, is a failure.
     */
    static boolean isBadInput(Throwable ex) {
        Throwable t = ex instanceof UncheckedIOException && ex.getCause() != null ? ex.getCause() : ex;
        return t instanceof IllegalArgumentException || t instanceof NoSuchFileException
                || t instanceof FileAlreadyExistsException || t instanceof DataFormatException
                || t instanceof CorruptModelException;
    }

    /** The exception's message on one line (a missing file is named as such). */
    static String oneLine(Throwable ex) {
        String msg = ex.getMessage();
        if (ex instanceof NoSuchFileException nsf) {
            msg = "no such file: " + nsf.getFile() + (nsf.getReason() == null ? "" : " (" + nsf.getReason() + ")");
        } else if (msg == null || msg.isBlank()) {
            msg = ex.getClass().getSimpleName();
        }
        return msg.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
