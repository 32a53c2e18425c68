package org.erasediff.dl4j.unet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UNetCostTest {

    /** The libtorch reference network has 999,457 parameters and no null-class row (128 more here). */
    @Test
    void defaultConfigMatchesTheReferenceNetwork() {
        UNetCost cost = UNetCost.of(UNetConfig.builder().build(), 1);
        assertEquals(999_457 + 128, cost.parameterCount());
        // layer by layer (2 x multiply-adds): time MLP 2(64·128 + 128·128) + class 2·11·128;
        // conv_in 2·784·9·32; 28x28: Res(32,32) 2·(2·784·9·32·32) + 2·128·32; down 2·196·9·32·32;
        // 14x14: Res(32,64) incl. 1x1 skip; down 2·49·9·64·64; 7x7: Res(64,128), attention
        // 4·2·49·128² + 2·2·49²·128, Res(128,128); up: Res(192,64)@14, Res(96,32)@28; conv_out 2·784·9·32
        assertEquals(243_946_752L, cost.forwardFlops());
    }

    @Test
    void flopsScaleWithBatchAndParametersDoNot() {
        UNetConfig config = UNetConfig.builder().optAttention(false).optNumClasses(0).build();
        UNetCost one = UNetCost.of(config, 1);
        UNetCost many = UNetCost.of(config, 64);
        assertEquals(one.parameterCount(), many.parameterCount());
        assertEquals(64 * one.forwardFlops(), many.forwardFlops());
        UNetCost withAttention = UNetCost.of(config.toBuilder().optAttention(true).build(), 1);
        assertEquals(2L * 128 + 4L * 128 * 128, withAttention.parameterCount() - one.parameterCount());
        assertEquals(8L * 49 * 128 * 128 + 4L * 49 * 49 * 128, withAttention.forwardFlops() - one.forwardFlops());
    }

    @Test
    void rejectsNonPositiveBatch() {
        assertThrows(IllegalArgumentException.class, () -> UNetCost.of(UNetConfig.builder().build(), 0));
    }
}
