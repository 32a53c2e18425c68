package org.erasediff.samples.cli;

import org.erasediff.core.unlearn.ForgetTarget;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses {@code --target}: {@code uniform}, {@code random-other}, {@code class:<c>},
 * {@code anchor:<c>}, {@code shifted:<μ>}, or {@code remain} / {@code remain:<t_min>} /
 * {@code remain:<t_min>:<pool>} (the remain data's own denoiser from timestep t_min on, default
 * 100, over the step's remain batch or a pool of that many remain images drawn every step), or
 * {@code remain-same-class} / {@code remain-same-class:<t_min>} / {@code remain-same-class:<t_min>:<pool>}
 * (the same over each forgotten image's own class only, a pool of that many remaining images per
 * class, default {@value #DEFAULT_SAME_CLASS_POOL}; conditional models).
 */
final class ForgetTargetConverter implements ITypeConverter<ForgetTarget> {

    /** The pool of remaining images per class of {@code remain-same-class} without a pool. */
    static final int DEFAULT_SAME_CLASS_POOL = 32;

    @Override
    public ForgetTarget convert(String value) {
        String v = value.trim();
        int colon = v.indexOf(':');
        String kind = colon < 0 ? v : v.substring(0, colon);
        String arg = colon < 0 ? null : v.substring(colon + 1);
        try {
            return switch (kind) {
                case "uniform" -> noArgument(arg, ForgetTarget.uniform(), value);
                case "random-other" -> noArgument(arg, ForgetTarget.randomOtherClass(), value);
                case "random-other-per-sample" -> noArgument(arg, ForgetTarget.randomOtherClassPerSample(), value);
                case "class" -> ForgetTarget.fixedClass(Integer.parseInt(required(arg, value)));
                case "anchor" -> ForgetTarget.anchorLabel(Integer.parseInt(required(arg, value)));
                case "shifted" -> ForgetTarget.shiftedGaussian(Double.parseDouble(required(arg, value)));
                case "remain" -> remain(arg);
                case "remain-same-class" -> remainSameClass(arg);
                default -> throw new TypeConversionException("unknown forgetting target '" + value
                        + "': use uniform, random-other, random-other-per-sample, class:<c>, anchor:<c>, shifted:<μ>, "
                        + "remain[:<t_min>[:<pool>[:<temperature>]]] or remain-same-class[:<t_min>[:<pool per class>]]");
            };
        } catch (NumberFormatException e) {
            throw new TypeConversionException("forgetting target '" + value + "' needs a number after the colon");
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("forgetting target '" + value + "': " + e.getMessage());
        }
    }

    /** {@code remain}, {@code remain:<t_min>}, {@code remain:<t_min>:<pool>} or {@code remain:<t_min>:<pool>:<temperature>}. */
    private static ForgetTarget remain(String arg) {
        if (arg == null) {
            return ForgetTarget.remainPosterior(ForgetTarget.RemainPosterior.DEFAULT_MIN_TIMESTEP);
        }
        int colon = arg.indexOf(':');
        if (colon < 0) {
            return ForgetTarget.remainPosterior(Integer.parseInt(arg));
        }
        String[] parts = arg.split(":", -1);
        if (parts.length > 3) {
            throw new IllegalArgumentException("remain takes at most <t_min>:<pool>:<temperature>");
        }
        int minTimestep = Integer.parseInt(parts[0]);
        int pool = Integer.parseInt(parts[1]);
        return parts.length == 2 ? ForgetTarget.remainPosterior(minTimestep, pool)
                : ForgetTarget.remainPosterior(minTimestep, pool, Double.parseDouble(parts[2]));
    }

    /** {@code remain-same-class}, {@code remain-same-class:<t_min>} or {@code remain-same-class:<t_min>:<pool>}. */
    private static ForgetTarget remainSameClass(String arg) {
        String[] parts = arg == null ? new String[0] : arg.split(":", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("remain-same-class takes at most <t_min>:<pool per class>");
        }
        int minTimestep = parts.length > 0 ? Integer.parseInt(parts[0])
                : ForgetTarget.RemainPosterior.DEFAULT_MIN_TIMESTEP;
        int pool = parts.length > 1 ? Integer.parseInt(parts[1]) : DEFAULT_SAME_CLASS_POOL;
        return ForgetTarget.remainPosteriorSameClass(minTimestep, pool);
    }

    private static ForgetTarget noArgument(String arg, ForgetTarget t, String value) {
        if (arg != null) {
            throw new TypeConversionException("forgetting target '" + value + "' takes no argument");
        }
        return t;
    }

    private static String required(String arg, String value) {
        if (arg == null || arg.isBlank()) {
            throw new TypeConversionException("forgetting target '" + value + "' needs a value, e.g. class:3");
        }
        return arg;
    }
}
