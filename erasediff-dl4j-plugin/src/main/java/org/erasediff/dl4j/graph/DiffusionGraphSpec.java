package org.erasediff.dl4j.graph;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Names and encodings that connect a user's SameDiff noise-prediction graph to EraseDiff.
 * Immutable; build with {@link #builder(String, String, String)}; JSON round-trippable.
 *
 * @param imageInput        placeholder of the noisy image x_t, {@code [B, C, H, W]} FLOAT
 * @param timestepInput     placeholder of the timestep
 * @param timestepEncoding  how the timestep is fed (default {@link TimestepEncoding#INDEX_FLOAT})
 * @param sinusoidalWidth   embedding width for {@link TimestepEncoding#SINUSOIDAL} (even, &gt; 0), else 0
 * @param labelInput        placeholder of the class label, or {@code null} for an unconditional graph
 * @param labelEncoding     how labels are fed (default {@link LabelEncoding#INDEX}); ignored without a label input
 * @param numClasses        number of real classes (&gt; 0 for a conditional graph, 0 otherwise)
 * @param nullLabel         index (or one-hot column) of the learned null class used for guidance;
 *                          default {@code numClasses}
 * @param output            variable holding the predicted noise, same shape as the image
 * @param numTimesteps      T of the schedule the graph was trained with (default 1000)
 */
public record DiffusionGraphSpec(
        @JsonProperty("imageInput") String imageInput,
        @JsonProperty("timestepInput") String timestepInput,
        @JsonProperty("timestepEncoding") TimestepEncoding timestepEncoding,
        @JsonProperty("sinusoidalWidth") int sinusoidalWidth,
        @JsonProperty("labelInput") String labelInput,
        @JsonProperty("labelEncoding") LabelEncoding labelEncoding,
        @JsonProperty("numClasses") int numClasses,
        @JsonProperty("nullLabel") int nullLabel,
        @JsonProperty("output") String output,
        @JsonProperty("numTimesteps") int numTimesteps) {

    /** Validates the spec on its own (names present, sizes in range); the graph is checked by {@link DiffusionGraph}. */
    @JsonCreator
    public DiffusionGraphSpec {
        requireName(imageInput, "imageInput");
        requireName(timestepInput, "timestepInput");
        requireName(output, "output");
        Objects.requireNonNull(timestepEncoding, "timestepEncoding");
        if (timestepEncoding == TimestepEncoding.SINUSOIDAL && (sinusoidalWidth <= 0 || sinusoidalWidth % 2 != 0)) {
            throw new IllegalArgumentException("sinusoidalWidth must be a positive even number for SINUSOIDAL"
                    + " timesteps, was " + sinusoidalWidth);
        }
        if (timestepEncoding != TimestepEncoding.SINUSOIDAL && sinusoidalWidth != 0) {
            throw new IllegalArgumentException("sinusoidalWidth is only used with SINUSOIDAL timesteps, was "
                    + sinusoidalWidth + " with " + timestepEncoding);
        }
        if (numTimesteps <= 1) {
            throw new IllegalArgumentException("numTimesteps must be > 1, was " + numTimesteps);
        }
        if (labelInput != null) {
            requireName(labelInput, "labelInput");
            Objects.requireNonNull(labelEncoding, "labelEncoding");
            if (numClasses <= 0) {
                throw new IllegalArgumentException("numClasses must be > 0 for a conditional graph (labelInput '"
                        + labelInput + "'), was " + numClasses);
            }
            if (nullLabel >= 0 && nullLabel < numClasses) {
                throw new IllegalArgumentException("nullLabel " + nullLabel + " collides with a real class 0.."
                        + (numClasses - 1) + "; the null class needs its own index (usually numClasses)");
            }
            if (nullLabel < 0) {
                throw new IllegalArgumentException("nullLabel must be >= numClasses, was " + nullLabel);
            }
        } else if (numClasses != 0) {
            throw new IllegalArgumentException("numClasses is " + numClasses
                    + " but no labelInput is named: an unconditional graph has numClasses 0");
        }
    }

    private static void requireName(String name, String field) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(field + " must name a variable of the graph, was '" + name + "'");
        }
    }

    /** Whether the graph takes class labels. */
    public boolean conditional() {
        return labelInput != null;
    }

    /**
     * Starts a spec with the required names.
     *
     * @param imageInput    noisy-image placeholder
     * @param timestepInput timestep placeholder
     * @param output        predicted-noise variable
     */
    public static Builder builder(String imageInput, String timestepInput, String output) {
        return new Builder(imageInput, timestepInput, output);
    }

    /** Builder: required names in the constructor, optional settings with documented defaults. */
    public static final class Builder {
        private final String imageInput;
        private final String timestepInput;
        private final String output;
        private TimestepEncoding timestepEncoding = TimestepEncoding.INDEX_FLOAT;
        private int sinusoidalWidth;
        private String labelInput;
        private LabelEncoding labelEncoding = LabelEncoding.INDEX;
        private int numClasses;
        private int nullLabel = -1;
        private int numTimesteps = 1000;

        private Builder(String imageInput, String timestepInput, String output) {
            this.imageInput = imageInput;
            this.timestepInput = timestepInput;
            this.output = output;
        }

        /** Timesteps as an index (INT or FLOAT placeholder {@code [B]}); default INDEX_FLOAT. */
        public Builder timestepIndex(TimestepEncoding encoding) {
            if (encoding == TimestepEncoding.SINUSOIDAL) {
                throw new IllegalArgumentException("use timestepSinusoidal(width) for SINUSOIDAL timesteps");
            }
            this.timestepEncoding = encoding;
            this.sinusoidalWidth = 0;
            return this;
        }

        /** Timesteps as a sinusoidal embedding of the given (even) width, computed outside the graph. */
        public Builder timestepSinusoidal(int width) {
            this.timestepEncoding = TimestepEncoding.SINUSOIDAL;
            this.sinusoidalWidth = width;
            return this;
        }

        /**
         * Makes the spec conditional.
         *
         * @param input      label placeholder
         * @param encoding   INDEX or ONE_HOT
         * @param numClasses number of real classes; the null label defaults to index {@code numClasses}
         */
        public Builder labels(String input, LabelEncoding encoding, int numClasses) {
            this.labelInput = input;
            this.labelEncoding = encoding;
            this.numClasses = numClasses;
            return this;
        }

        /** Overrides the null-label index (default {@code numClasses}). */
        public Builder nullLabel(int nullLabel) {
            this.nullLabel = nullLabel;
            return this;
        }

        /** T of the schedule the graph was trained with (default 1000). */
        public Builder numTimesteps(int numTimesteps) {
            this.numTimesteps = numTimesteps;
            return this;
        }

        /** Builds and validates the spec. */
        public DiffusionGraphSpec build() {
            int nl = labelInput == null ? 0 : (nullLabel < 0 ? numClasses : nullLabel);
            return new DiffusionGraphSpec(imageInput, timestepInput, timestepEncoding, sinusoidalWidth, labelInput,
                    labelInput == null ? null : labelEncoding, numClasses, nl, output, numTimesteps);
        }
    }
}
