package org.erasediff.dl4j.unet;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UNetConfigTest {

    @Test
    void defaultsDescribeTheReferenceNetwork() {
        UNetConfig c = UNetConfig.builder().build();
        assertEquals(1, c.imageChannels());
        assertEquals(28, c.imageSize());
        assertEquals(List.of(32, 64, 128), c.widths());
        assertEquals(1, c.resBlocksPerLevel());
        assertTrue(c.attention());
        assertEquals(4, c.attentionHeads());
        assertEquals(8, c.groups());
        assertEquals(64, c.timeEmbeddingBase());
        assertEquals(128, c.timeEmbeddingWidth());
        assertEquals(10, c.numClasses());
        assertEquals(10, c.nullClass());
        assertEquals(1e-5, c.normEpsilon());
        assertEquals(1.0, c.outputInitScale());
        assertEquals(3, c.levels());
        assertEquals(7, c.resolution(2));
        assertTrue(c.isConditional());
    }

    @Test
    void jsonRoundTripKeepsEveryField() {
        UNetConfig c = UNetConfig.builder().optImageChannels(3).optImageSize(32).optWidths(16, 32, 48, 64)
                .optResBlocksPerLevel(2).optAttention(false).optAttentionHeads(2).optGroups(4)
                .optTimeEmbeddingBase(32).optTimeEmbeddingWidth(96).optNumClasses(0).optNormEpsilon(1e-6)
                .optOutputInitScale(0).optSeed(-7).build();
        String json = c.toJson();
        assertEquals(c, UNetConfig.fromJson(json));
        assertEquals(c, c.toBuilder().build());
        assertFalse(json.contains("conditional"), json);
    }

    @Test
    void jsonRejectsUnknownMissingAndInvalidFields() {
        String json = UNetConfig.builder().build().toJson();
        assertThrows(IllegalArgumentException.class, () -> UNetConfig.fromJson(json.replace("}", ",\"extra\":1}")));
        assertThrows(IllegalArgumentException.class,
                () -> UNetConfig.fromJson(json.replace("\"groups\":8,", "")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UNetConfig.fromJson(json.replace("\"groups\":8", "\"groups\":7")));
        assertTrue(e.getMessage().contains("groups"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> UNetConfig.fromJson("not json"));
    }

    @Test
    void validationNamesTheFieldAndRange() {
        assertMessage("imageChannels must be in [1, 64], found 0", UNetConfig.builder().optImageChannels(0));
        assertMessage("widths[1] must be divisible by groups = 8, found 20", UNetConfig.builder().optWidths(8, 20));
        assertMessage("imageSize must be divisible by 2^(levels-1) = 4", UNetConfig.builder().optImageSize(30));
        assertMessage("attentionHeads must divide the lowest width 128", UNetConfig.builder().optAttentionHeads(3));
        assertMessage("timeEmbeddingBase must be even", UNetConfig.builder().optTimeEmbeddingBase(33));
        assertMessage("numClasses must be in [0, 100000], found -1", UNetConfig.builder().optNumClasses(-1));
        assertMessage("normEpsilon must be in (0, 0.1]", UNetConfig.builder().optNormEpsilon(0));
        assertMessage("outputInitScale must be in [0, 10]", UNetConfig.builder().optOutputInitScale(Double.NaN));
        assertMessage("widths.size must be in [1, 6], found 0", UNetConfig.builder().optWidths(List.of()));
        assertMessage("resBlocksPerLevel must be in [1, 8], found 9", UNetConfig.builder().optResBlocksPerLevel(9));
    }

    @Test
    void widthsAreCopiedAndImmutable() {
        java.util.ArrayList<Integer> widths = new java.util.ArrayList<>(List.of(8, 16));
        UNetConfig c = UNetConfig.builder().optWidths(widths).optImageSize(8).build();
        widths.set(0, 24);
        assertEquals(List.of(8, 16), c.widths());
        assertThrows(UnsupportedOperationException.class, () -> c.widths().set(0, 1));
    }

    @Test
    void unconditionalConfigHasNoNullClass() {
        UNetConfig c = UNetConfig.builder().optNumClasses(0).build();
        assertFalse(c.isConditional());
        assertThrows(IllegalStateException.class, c::nullClass);
        assertNotEquals(c, UNetConfig.builder().build());
    }

    private static void assertMessage(String expectedStart, UNetConfig.Builder builder) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
    }
}
