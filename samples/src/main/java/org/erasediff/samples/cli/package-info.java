/**
 * The {@code erasediff} command-line interface: one class per subcommand. With {@code --json}
 * a command prints one JSON object with its figures as its last line of standard output; logs go
 * to standard error.
 */
package org.erasediff.samples.cli;
