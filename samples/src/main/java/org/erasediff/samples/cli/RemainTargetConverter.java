package org.erasediff.samples.cli;

import org.erasediff.core.unlearn.RemainTarget;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --remain-target}: {@code noise} (the paper's denoising loss), {@code original} or
 * {@code original-without-forget}. */
final class RemainTargetConverter implements ITypeConverter<RemainTarget> {

    @Override
    public RemainTarget convert(String value) {
        return switch (value.trim()) {
            case "noise" -> RemainTarget.NOISE;
            case "original" -> RemainTarget.ORIGINAL;
            case "original-without-forget" -> RemainTarget.ORIGINAL_WITHOUT_FORGET;
            default -> throw new TypeConversionException("unknown remain target '" + value
                    + "': use noise (the drawn noise), original (the original model's prediction) or "
                    + "original-without-forget (that with the forget data's share taken out)");
        };
    }
}
