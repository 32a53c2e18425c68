package org.erasediff.samples.cli;

import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What {@code compare} and {@code sweep} work on: whole classes to forget from a model, its data
 * and the judge of its samples — the shipped MNIST model, data and judges by default, or the
 * user's, with the options {@code unlearn} takes ({@link ModelOptions}, {@link DataOptions},
 * {@link JudgeOptions}).
 */
final class ClassForgetOptions {

    @Option(names = "--forget-class", split = ",", defaultValue = "0", paramLabel = "CLASS", description = "Class(es) "
            + "to forget, by index or (with --data) sub-folder name (default ${DEFAULT-VALUE}).")
    List<String> classes;

    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    DataOptions data = new DataOptions();

    @Mixin
    JudgeOptions judge = new JudgeOptions();

    /**
     * The indices of the classes to forget.
     *
     * @throws IllegalArgumentException naming a class that the data does not have
     */
    List<Integer> classIndices(DataOptions.Dataset dataset) {
        return ForgetOptions.classIndices(classes, dataset);
    }
}
