package org.erasediff.dl4j.checkpoint;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Training checkpoints in a folder: each is a sub-folder {@code step-00000500/} holding
 * {@code model.fb} (the graph with its current parameters), {@code state.bin} (named arrays:
 * optimiser state, EMA weights) and {@code state.json} (step, seeds, config, history). A
 * checkpoint is written to a temporary folder and renamed into place only when complete, so
 * the latest complete checkpoint is always usable; older ones beyond {@code keep} are deleted.
 */
public final class CheckpointStore {

    /** Model file name inside a checkpoint. */
    public static final String MODEL = "model.fb";
    /** Named-arrays file name inside a checkpoint. */
    public static final String STATE = "state.bin";
    /** JSON state file name inside a checkpoint. */
    public static final String JSON = "state.json";

    private final Path root;
    private final int keep;

    /** One saved checkpoint: its step and folder. */
    public record Checkpoint(long step, Path dir) {
        /** Loads the checkpoint's graph. */
        public SameDiff model() throws IOException {
            return GraphFiles.load(dir.resolve(MODEL), false);
        }

        /** Loads the checkpoint's named arrays. */
        public Map<String, INDArray> arrays() throws IOException {
            return NamedArrays.read(dir.resolve(STATE));
        }

        /** Reads the checkpoint's JSON state. */
        public String json() throws IOException {
            return Files.readString(dir.resolve(JSON));
        }
    }

    /**
     * @param root folder of the checkpoints (created if missing)
     * @param keep how many of the newest checkpoints to keep (&ge; 1)
     */
    public CheckpointStore(Path root, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be >= 1, was " + keep);
        }
        this.root = root;
        this.keep = keep;
    }

    /** The checkpoint folder. */
    public Path root() {
        return root;
    }

    /** Writes a checkpoint for {@code step} atomically and prunes old ones. */
    public Checkpoint save(long step, SameDiff model, Map<String, INDArray> arrays, String json) throws IOException {
        Files.createDirectories(root);
        String name = String.format("step-%08d", step);
        Path tmp = Files.createTempDirectory(root, "." + name + "-");
        try {
            try {
                model.save(tmp.resolve(MODEL).toFile(), false);
            } catch (RuntimeException e) {
                throw AtomicFiles.writeFailure(root.resolve(name).resolve(MODEL), e);
            }
            NamedArrays.write(tmp.resolve(STATE), arrays);
            AtomicFiles.writeString(tmp.resolve(JSON), json);
            Path target = root.resolve(name);
            if (Files.exists(target)) {
                deleteTree(target);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            prune();
            return new Checkpoint(step, target);
        } finally {
            if (Files.exists(tmp)) {
                deleteTree(tmp);
            }
        }
    }

    /** The newest complete checkpoint, if any. */
    public Optional<Checkpoint> latest() throws IOException {
        List<Checkpoint> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** All complete checkpoints, oldest first. */
    public List<Checkpoint> list() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().matches("step-\\d{8}") && Files.isDirectory(p)
                            && Files.isRegularFile(p.resolve(JSON)))
                    .map(p -> new Checkpoint(Long.parseLong(p.getFileName().toString().substring(5)), p))
                    .sorted(Comparator.comparingLong(Checkpoint::step))
                    .toList();
        }
    }

    private void prune() throws IOException {
        List<Checkpoint> all = list();
        for (int i = 0; i < all.size() - keep; i++) {
            deleteTree(all.get(i).dir());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
