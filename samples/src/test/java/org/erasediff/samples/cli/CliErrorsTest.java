package org.erasediff.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.erasediff.core.data.DataFormatException;
import org.junit.jupiter.api.Test;

class CliErrorsTest {

    @Test
    void badInputIsTheExceptionItselfNotADeepCause() {
        assertTrue(CliErrors.isBadInput(new IllegalArgumentException("x")));
        assertTrue(CliErrors.isBadInput(new NoSuchFileException("a.fb")));
        assertTrue(CliErrors.isBadInput(new DataFormatException("img.png: not an image")));
        assertTrue(CliErrors.isBadInput(new UncheckedIOException(new NoSuchFileException("a.fb"))));
        assertFalse(CliErrors.isBadInput(new IllegalStateException("diverged")));
        assertFalse(CliErrors.isBadInput(new RuntimeException("op failed", new IllegalArgumentException("deep"))),
                "a failure inside the work is a failure, whatever its cause");
    }

    @Test
    void messagesAreOneLine() {
        assertEquals("a b c", CliErrors.oneLine(new IllegalArgumentException("a\n  b\r\nc")));
        assertEquals("no such file: m.fb (model card missing)",
                CliErrors.oneLine(new NoSuchFileException("m.fb", null, "model card missing")));
        assertEquals("NullPointerException", CliErrors.oneLine(new NullPointerException()));
    }
}
