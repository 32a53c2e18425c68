package org.erasediff.samples.cli;

import picocli.CommandLine.Option;

/** How often an unlearning run writes a checkpoint to resume from ({@code --checkpoint-every}). */
final class CheckpointOptions {

    /** Steps between checkpoints when {@code --checkpoint-every} is not given. */
    static final int DEFAULT_EVERY = 50;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "" + DEFAULT_EVERY, description = "Steps "
            + "between checkpoints of the unlearning run (default ${DEFAULT-VALUE}; the last step is always "
            + "checkpointed).")
    int every = DEFAULT_EVERY;

    /**
     * The interval, checked.
     *
     * @throws IllegalArgumentException if it is not positive
     */
    int every() {
        if (every < 1) {
            throw new IllegalArgumentException("--checkpoint-every must be >= 1, was " + every);
        }
        return every;
    }
}
