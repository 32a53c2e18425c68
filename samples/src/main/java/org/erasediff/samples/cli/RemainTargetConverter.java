package org.erasediff.samples.cli;

import org.erasediff.core.unlearn.RemainTarget;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses {@code --remain-target}: {@code noise} (the paper's denoising loss), {@code original[:<w>]}
 * or {@code original-without-forget[:<w>]}, w the weight of the original's prediction in the
 * target (default 1).
 */
final class RemainTargetConverter implements ITypeConverter<RemainTargetConverter.Choice> {

    /**
     * A parsed {@code --remain-target}.
     *
     * @param target the remain target
     * @param weight the original's weight, {@code null} when not given
     */
    record Choice(RemainTarget target, Double weight) {
    }

    @Override
    public Choice convert(String value) {
        String v = value.trim();
        int colon = v.indexOf(':');
        String kind = colon < 0 ? v : v.substring(0, colon);
        Double weight = null;
        if (colon >= 0) {
            try {
                weight = Double.parseDouble(v.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("remain target '" + value + "' needs a weight in (0, 1] after the colon");
            }
            if (!(weight > 0 && weight <= 1)) {
                throw new TypeConversionException("remain target '" + value + "': the weight must be in (0, 1], was "
                        + weight);
            }
        }
        RemainTarget target = switch (kind) {
            case "noise" -> RemainTarget.NOISE;
            case "original" -> RemainTarget.ORIGINAL;
            case "original-without-forget" -> RemainTarget.ORIGINAL_WITHOUT_FORGET;
            default -> throw new TypeConversionException("unknown remain target '" + value
                    + "': use noise (the drawn noise), original[:<w>] (the original model's prediction, weight w) or "
                    + "original-without-forget[:<w>] (that with the forget data's share taken out)");
        };
        if (weight != null && target == RemainTarget.NOISE) {
            throw new TypeConversionException("remain target '" + value + "': noise takes no weight");
        }
        return new Choice(target, weight);
    }
}
