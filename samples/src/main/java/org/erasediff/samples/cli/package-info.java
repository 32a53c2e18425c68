/**
 * The {@code erasediff} command-line interface: one class per subcommand, with the options that
 * several commands share as picocli mixins ({@code ModelOptions}, {@code DataOptions},
 * {@code ForgetOptions}, {@code ClassForgetOptions}, {@code EraseDiffOptions}, {@code EvalOptions},
 * {@code JudgeOptions}, {@code CheckpointOptions}, {@code OutputOptions}). With {@code --json} a command
 * prints one JSON object with its figures as its last line of standard output; logs go to standard error. Outputs go to a new run folder
 * ({@code RunFolder}); errors are one line, exit code 2 for bad input and 1 for other failures.
 */
package org.erasediff.samples.cli;
