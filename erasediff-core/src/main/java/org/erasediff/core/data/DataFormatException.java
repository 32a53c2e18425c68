package org.erasediff.core.data;

import java.io.IOException;

/** A data file is truncated, corrupt or not in the expected format; the message names the file and the problem. */
public class DataFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what was expected and what was found, naming the source */
    public DataFormatException(String message) {
        super(message);
    }

    /** @param message what was expected and what was found; @param cause the underlying error */
    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
