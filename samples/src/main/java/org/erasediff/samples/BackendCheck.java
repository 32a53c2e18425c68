package org.erasediff.samples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Checks, before ND4J starts, whether its backend can run here. Only the CUDA backend (a build
 * with {@code -Pcuda}) can fail this way: ND4J 1.0.0-M2.1's CUDA 11.6 library carries machine
 * code for compute capabilities 3.7 to 8.6 and no PTX, so it runs on GPUs of compute capability
 * 3.7 up to 8.x (Kepler K80 to Ada) and cannot run on Hopper (9.0) or newer, nor without a GPU.
 * Such a machine gets one line saying so instead of a crash inside the native library.
 *
 * <p>The GPUs are read from {@code nvidia-smi} (honouring numeric {@code CUDA_VISIBLE_DEVICES});
 * when they cannot be determined the check stays silent and ND4J tries as usual.
 */
public final class BackendCheck {

    /** The class of ND4J's CUDA backend; on the classpath only in a {@code -Pcuda} build. */
    static final String CUDA_BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";

    private static final String HINT = "; build without -Pcuda to run on the CPU";

    /**
     * One GPU as the driver reports it.
     *
     * @param index the driver's device index
     * @param name  the product name
     * @param major compute capability, major part
     * @param minor compute capability, minor part
     */
    public record Gpu(int index, String name, int major, int minor) {

        /** @return whether M2.1's CUDA library has code this GPU can run (3.7 ≤ capability &lt; 9.0) */
        public boolean supported() {
            return (major > 3 || major == 3 && minor >= 7) && major <= 8;
        }

        @Override
        public String toString() {
            return "GPU " + index + " (" + name + ", compute capability " + major + "." + minor + ")";
        }
    }

    private BackendCheck() {
    }

    /**
     * The problem with this machine's backend, if any: call it first thing in a program's
     * {@code main}, before any ND4J class is used, and stop with the message.
     *
     * @return one line naming the problem, or empty when the backend can run (always for the CPU)
     */
    public static Optional<String> problem() {
        if (!cudaBackendPresent()) {
            return Optional.empty();
        }
        return problem(queryGpus(), System.getenv("CUDA_VISIBLE_DEVICES"));
    }

    /**
     * The decision for the CUDA backend, from what the machine reports.
     *
     * @param gpus               the GPUs found ({@code Optional.empty()} if they cannot be determined)
     * @param cudaVisibleDevices the value of {@code CUDA_VISIBLE_DEVICES}, or {@code null}
     * @return one line naming the problem, or empty when the backend can run or nothing is known
     */
    static Optional<String> problem(Optional<List<Gpu>> gpus, String cudaVisibleDevices) {
        if (gpus.isEmpty()) {
            return Optional.empty();
        }
        List<Gpu> visible = visible(gpus.get(), cudaVisibleDevices);
        if (visible.isEmpty()) {
            return Optional.of("the ND4J CUDA backend needs an NVIDIA GPU and none was found" + HINT);
        }
        List<Gpu> unsupported = visible.stream().filter(g -> !g.supported()).toList();
        if (unsupported.isEmpty()) {
            return Optional.empty();
        }
        String others = unsupported.size() < visible.size()
                ? " (hide it with CUDA_VISIBLE_DEVICES to use the others)" : "";
        return Optional.of(unsupported.get(0) + " cannot run ND4J 1.0.0-M2.1's CUDA backend, which has code for"
                + " compute capability 3.7 to 8.x only (Kepler K80 to Ada, not Hopper or newer)" + others + HINT);
    }

    /**
     * Parses {@code nvidia-smi --query-gpu=index,name,compute_cap --format=csv,noheader}.
     *
     * @param csv the command's output
     * @return the GPUs, or empty if a line cannot be read (e.g. a driver too old for compute_cap)
     */
    static Optional<List<Gpu>> parseNvidiaSmi(String csv) {
        List<Gpu> gpus = new ArrayList<>();
        for (String line : csv.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int first = line.indexOf(',');
            int last = line.lastIndexOf(',');
            if (first < 0 || last == first) {
                return Optional.empty();
            }
            String[] cc = line.substring(last + 1).trim().split("\\.");
            try {
                gpus.add(new Gpu(Integer.parseInt(line.substring(0, first).trim()),
                        line.substring(first + 1, last).trim(), Integer.parseInt(cc[0]),
                        cc.length > 1 ? Integer.parseInt(cc[1]) : 0));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.of(gpus);
    }

    /** The GPUs named by numeric {@code CUDA_VISIBLE_DEVICES} (all of them if unset or not numeric). */
    static List<Gpu> visible(List<Gpu> gpus, String cudaVisibleDevices) {
        if (cudaVisibleDevices == null || cudaVisibleDevices.isBlank()) {
            return gpus;
        }
        Set<Integer> wanted = new TreeSet<>();
        for (String part : cudaVisibleDevices.split(",")) {
            try {
                int i = Integer.parseInt(part.trim());
                if (i < 0) {
                    break; // CUDA stops at the first invalid index
                }
                wanted.add(i);
            } catch (NumberFormatException e) {
                return gpus; // UUIDs or MIG names: not resolved here
            }
        }
        return gpus.stream().filter(g -> wanted.contains(g.index())).toList();
    }

    /** @return whether ND4J's CUDA backend is on the classpath (the class is found, not loaded) */
    static boolean cudaBackendPresent() {
        return BackendCheck.class.getClassLoader().getResource(CUDA_BACKEND_CLASS.replace('.', '/') + ".class")
                != null;
    }

    private static Optional<List<Gpu>> queryGpus() {
        Process p;
        try {
            p = new ProcessBuilder("nvidia-smi", "--query-gpu=index,name,compute_cap", "--format=csv,noheader")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            // no nvidia-smi: without the driver's device files there is no GPU either
            return Files.exists(Path.of("/dev/nvidia0")) ? Optional.empty() : Optional.of(List.of());
        }
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                // "No devices were found" exits non-zero as well as a broken driver does
                return out.contains("No devices were found") ? Optional.of(List.of()) : Optional.empty();
            }
            return parseNvidiaSmi(out);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
