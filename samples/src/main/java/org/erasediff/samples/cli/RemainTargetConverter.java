package org.erasediff.samples.cli;

import org.erasediff.core.unlearn.RemainTarget;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --remain-target}: {@code noise} (the paper's denoising loss) or {@code original}. */
final class RemainTargetConverter implements ITypeConverter<RemainTarget> {

    @Override
    public RemainTarget convert(String value) {
        return switch (value.trim()) {
            case "noise" -> RemainTarget.NOISE;
            case "original" -> RemainTarget.ORIGINAL;
            default -> throw new TypeConversionException("unknown remain target '" + value
                    + "': use noise (the drawn noise) or original (the original model's prediction)");
        };
    }
}
