package org.erasediff.dl4j.checkpoint;

import java.io.IOException;

/** A model or checkpoint file exists but cannot be read as what it claims to be. */
public class CorruptModelException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message names the file and the problem; @param cause the underlying error, or null */
    public CorruptModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
