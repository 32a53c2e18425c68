package org.erasediff.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.erasediff.samples.BackendCheck.Gpu;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class BackendCheckTest {

    private static Optional<String> decide(String nvidiaSmi, String visible) {
        return BackendCheck.problem(BackendCheck.parseNvidiaSmi(nvidiaSmi), visible);
    }

    @Test
    void gpusUpToAdaRun() {
        assertEquals(Optional.empty(), decide("0, NVIDIA A100-SXM4-80GB, 8.0\n1, NVIDIA GeForce RTX 3090, 8.6\n", null));
        assertEquals(Optional.empty(), decide("0, NVIDIA L4, 8.9\n", null));
        assertEquals(Optional.empty(), decide("0, Tesla K80, 3.7\n", null));
    }

    @Test
    void hopperAndNewerGetOneLine() {
        String msg = decide("0, NVIDIA H200, 9.0\n", null).orElseThrow();
        assertTrue(msg.startsWith("GPU 0 (NVIDIA H200, compute capability 9.0) cannot run ND4J 1.0.0-M2.1's CUDA"),
                msg);
        assertTrue(msg.endsWith("build without -Pcuda to run on the CPU"), msg);
        assertFalse(msg.contains("\n"));
        assertTrue(decide("0, NVIDIA B200, 10.0\n", null).isPresent());
        assertTrue(decide("0, Tesla K20Xm, 3.5\n", null).orElseThrow().contains("compute capability 3.5"));
    }

    @Test
    void aMixedMachineIsToldToHideTheNewGpuAndCudaVisibleDevicesIsHonoured() {
        String two = "0, NVIDIA H100 80GB HBM3, 9.0\n1, NVIDIA A100-SXM4-40GB, 8.0\n";
        assertTrue(decide(two, null).orElseThrow().contains("hide it with CUDA_VISIBLE_DEVICES"));
        assertEquals(Optional.empty(), decide(two, "1"));
        assertTrue(decide(two, "0").isPresent());
        assertTrue(decide(two, "GPU-8a3c0e0e-uuid").isPresent(), "UUIDs are not resolved: every GPU counts");
    }

    @Test
    void noGpuGetsOneLineAndUnknownStaysSilent() {
        assertEquals(Optional.of("the ND4J CUDA backend needs an NVIDIA GPU and none was found; build without -Pcuda"
                + " to run on the CPU"), BackendCheck.problem(Optional.of(List.of()), null));
        assertTrue(decide("0, NVIDIA A100, 8.0\n", "").isEmpty());
        assertTrue(BackendCheck.problem(Optional.of(List.of(new Gpu(0, "A", 8, 0))), "3").isPresent(),
                "CUDA_VISIBLE_DEVICES naming no GPU leaves none");
        assertEquals(Optional.empty(), BackendCheck.parseNvidiaSmi("Field \"compute_cap\" is not a valid field\n"));
        assertEquals(Optional.empty(), BackendCheck.parseNvidiaSmi("0, Old GPU, [N/A]\n"));
        assertEquals(Optional.empty(), BackendCheck.problem(Optional.empty(), null));
    }

    @Test
    void theCpuBuildHasNothingToReport() {
        Assumptions.assumeFalse(BackendCheck.cudaBackendPresent(), "a -Pcuda build");
        assertEquals(Optional.empty(), BackendCheck.problem(), "this build uses the CPU backend");
    }
}
