package org.erasediff.samples.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What every trial shares: the CLI, the inputs, the tally, a seeded random source and a work
 * folder; {@link #guarded} wraps each trial in the input-hash check and the half-written scan.
 */
final class Harness {

    /** A trial: does its work and returns why it misbehaved, or {@code null}. */
    @FunctionalInterface
    interface Trial {
        String run() throws Exception;
    }

    final CliProcess cli;
    final FaultInputs inputs;
    final Tally tally = new Tally();
    final Random random;
    private final Path work;
    private final InputLedger ledger;
    private int folders;

    /**
     * @param work folder for inputs, outputs and logs (created)
     * @param seed seed of every random choice (kill moments)
     */
    Harness(Path work, long seed) throws IOException {
        this.work = work;
        this.random = new Random(seed);
        this.inputs = FaultInputs.write(work.resolve("inputs"));
        this.cli = new CliProcess(work.resolve("logs"));
        this.ledger = new InputLedger(List.of(inputs.root));
    }

    /** A new, not yet existing folder for one trial's outputs (or its corrupted input copies). */
    Path folder(String name) throws IOException {
        Path p = work.resolve("trials").resolve(String.format("%03d-%s", ++folders, name));
        Files.createDirectories(p.getParent());
        return p;
    }

    /**
     * Runs a trial between two snapshots of the inputs' SHA-256 (extra input files too, e.g. a
     * corrupted copy) and scans {@code outputs} for half-written files afterwards; records it.
     *
     * @return whether it behaved as specified
     */
    boolean guarded(String row, String trial, String total, String passed, Path outputs, List<Path> extraInputs,
                    Trial t) throws IOException {
        InputLedger inputsOfTrial = new InputLedger(extraInputs);
        Map<Path, String> before = ledger.hashes();
        Map<Path, String> extraBefore = inputsOfTrial.hashes();
        String problem;
        long t0 = System.nanoTime();
        try {
            problem = t.run();
        } catch (Exception e) {
            problem = "harness error: " + e;
        }
        tally.addSeconds(row, (System.nanoTime() - t0) / 1e9);
        List<Path> changed = new java.util.ArrayList<>(ledger.changedSince(before));
        changed.addAll(inputsOfTrial.changedSince(extraBefore));
        tally.add("inputs_modified", changed.size());
        problem = problem != null ? problem : changed.isEmpty() ? null : "inputs modified: " + changed;
        OutputAudit.Findings f = OutputAudit.scan(outputs);
        tally.add("half_written", f.halfWritten().size());
        problem = problem != null ? problem : f.halfWritten().isEmpty() ? null : "half-written: " + f.halfWritten();
        tally.record(row, trial, problem, total, passed);
        return problem == null;
    }

    /** Runs a command that sets up later trials; it must succeed. */
    void require(Args command) throws IOException, InterruptedException {
        CliProcess.Outcome o = cli.run(command.list());
        if (o.code() != 0) {
            throw new IllegalStateException(command + " failed (" + o.code() + "): " + o.err());
        }
    }

    /** Counts half-written files found mid-trial (after a kill); returns them as a problem, or {@code null}. */
    String audit(Path outputs) throws IOException {
        OutputAudit.Findings f = OutputAudit.scan(outputs);
        tally.add("half_written", f.halfWritten().size());
        return f.halfWritten().isEmpty() ? null : "half-written after the kill: " + f.halfWritten();
    }
}
