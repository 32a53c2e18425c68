package org.erasediff.samples.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The CLI as a user runs it: {@code java -cp <this classpath> org.erasediff.samples.cli.ErasediffCli …}
 * in a JVM of its own, with standard output and error in files; optionally under a file-size
 * limit ({@code ulimit -f} in a {@code bash -c} wrapper) or killed with SIGKILL after a delay.
 */
final class CliProcess {

    /** How long one command may take before the harness gives up on it. */
    private static final long TIMEOUT_SECONDS = 300;
    /** How often the harness looks for the watched path. */
    private static final long POLL_MILLIS = 10;

    private final Path logs;
    private int runs;

    /** @param logs folder for each run's stdout/stderr files */
    CliProcess(Path logs) {
        this.logs = logs;
    }

    /**
     * The outcome of one run.
     *
     * @param code    exit status (137 after SIGKILL)
     * @param out     standard output
     * @param err     standard error
     * @param seconds wall time
     * @param started seconds until the watched path appeared (the command's work began), or {@code NaN}
     * @param killed  whether the harness killed it
     */
    record Outcome(int code, String out, String err, double seconds, double started, boolean killed) {

        /** The CLI's error lines ({@code erasediff …: error: …}). */
        List<String> errorLines() {
            return err.lines().filter(l -> l.startsWith("erasediff") && l.contains("error:")).toList();
        }
    }

    /** Runs {@code erasediff args…} to the end. */
    Outcome run(List<String> args) throws IOException, InterruptedException {
        return run(args, null, -1, 0);
    }

    /**
     * Runs {@code erasediff args…}.
     *
     * @param watch           a path whose appearance marks the start of the command's work (its outputs), or
     *                        {@code null}; the kill delay counts from then
     * @param killAfterMillis SIGKILL this many milliseconds after {@code watch} appeared (or the start), or
     *                        {@code < 0} for never
     * @param fileLimitKb     {@code ulimit -f} in KiB (1024-byte blocks), or {@code 0} for none
     */
    Outcome run(List<String> args, Path watch, long killAfterMillis, long fileLimitKb)
            throws IOException, InterruptedException {
        int n = ++runs;
        Path out = logs.resolve(n + ".out");
        Path err = logs.resolve(n + ".err");
        Files.createDirectories(logs);
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=4G", "-cp", System.getProperty("java.class.path"),
                "org.erasediff.samples.cli.ErasediffCli"));
        java.addAll(args);
        List<String> command = java;
        if (fileLimitKb > 0) {
            // exec keeps the JVM the process the harness waits on; the limit applies to every file it writes
            command = List.of("bash", "-c", "ulimit -f " + fileLimitKb + " && exec \"$@\"", "bash");
            command = new ArrayList<>(command);
            command.addAll(java);
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.environment().put("MALLOC_MMAP_THRESHOLD_", "131072");
        long t0 = System.nanoTime();
        Process p = pb.start();
        double started = Double.NaN;
        if (watch != null) {
            while (p.isAlive() && !Files.exists(watch)) {
                Thread.sleep(POLL_MILLIS);
            }
            started = Files.exists(watch) ? (System.nanoTime() - t0) / 1e9 : Double.NaN;
        }
        boolean killed = false;
        if (killAfterMillis >= 0 && !p.waitFor(killAfterMillis, TimeUnit.MILLISECONDS)) {
            // Process.destroyForcibly is SIGKILL on Linux: kill -9, no shutdown hooks, no flushing
            p.destroyForcibly();
            killed = true;
        }
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IOException("erasediff " + args + " ran past " + TIMEOUT_SECONDS + " s");
        }
        return new Outcome(p.exitValue(), Files.readString(out), Files.readString(err),
                (System.nanoTime() - t0) / 1e9, started, killed);
    }
}
