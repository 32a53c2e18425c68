package org.erasediff.dl4j.loop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.erasediff.dl4j.checkpoint.CheckpointStore;
import org.erasediff.dl4j.checkpoint.CorruptModelException;
import org.erasediff.dl4j.listen.StepMetrics;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one save/resume of every run. A checkpoint holds the model with the weights the run would
 * return (directly usable for sampling), the named arrays {@code param/<name>},
 * {@code updater/<name>} and {@code ema/<name>}, and a JSON state with a format number: the
 * method, step, the method's config, its data hashes, the step scale, the updater's and the EMA's
 * update counts, every batch stream's position, the method's scalars and the history. Resuming
 * restores all of it, so the resumed run continues exactly as an uninterrupted one.
 *
 * <p>Format 1 (DDPM training checkpoints written before the shared loop; no {@code format}
 * field, losses in the array {@code history/loss}) is read too: there every count equals the step.
 */
final class RunCheckpointer {

    /** The format this version writes. */
    static final int FORMAT = 2;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CheckpointStore store;
    private final StepAlgorithm algorithm;

    RunCheckpointer(CheckpointStore store, StepAlgorithm algorithm) {
        this.store = store;
        this.algorithm = algorithm;
    }

    /** What a resume restored: the history (its size is the step to resume at) and why the run had stopped. */
    record Resumed(List<StepMetrics> history, String stopReason) {
    }

    /** Writes the state after {@code step} completed steps, atomically. */
    void save(int step, LoopState state, List<StepMetrics> history, String stopReason, SameDiff original)
            throws IOException {
        List<String> names = state.engine().parameterNames();
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            arrays.put("param/" + names.get(i), state.parameters().get(i));
            arrays.put("updater/" + names.get(i), state.updater().state().get(i));
            arrays.put("ema/" + names.get(i), state.ema() == null ? null : state.ema().shadow().get(i));
        }
        ObjectNode json = JSON.createObjectNode();
        json.put("format", FORMAT);
        json.put("method", algorithm.name());
        json.put("step", step);
        json.set("config", JSON.readTree(algorithm.configJson()));
        json.set("data", JSON.valueToTree(algorithm.data()));
        json.put("stepScale", state.stepScale());
        json.put("updaterIteration", state.updater().iteration());
        json.put("emaUpdates", state.ema() == null ? 0 : state.ema().updates());
        ObjectNode streams = json.putObject("streams");
        state.streams().forEach((n, it) -> streams.put(n, it.batchesDrawn()));
        json.set("scalars", JSON.valueToTree(state.scalars()));
        json.set("history", JSON.valueToTree(history));
        json.put("stopReason", stopReason);
        SameDiff snapshot = withWeights(original, names, state.returnedWeights());
        store.save(step, snapshot, arrays, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    }

    /**
     * Restores the newest checkpoint into {@code state}, if there is one.
     *
     * @return what was restored, or empty when starting afresh
     * @throws IllegalArgumentException if the checkpoint belongs to another run or is beyond {@code totalSteps}
     */
    Optional<Resumed> resume(LoopState state, int totalSteps) throws IOException {
        Optional<CheckpointStore.Checkpoint> latest = store.latest();
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        CheckpointStore.Checkpoint ck = latest.get();
        JsonNode json = readState(ck);
        Map<String, INDArray> arrays = ck.arrays();
        boolean legacy = !json.has("format");
        if (legacy && !arrays.containsKey("history/loss")) {
            throw new IllegalArgumentException("checkpoint " + ck.dir() + " was written by an older version in a format"
                    + " that cannot be resumed exactly; use a new checkpoint folder");
        }
        if (!legacy && json.get("format").asInt() != FORMAT) {
            throw new IllegalArgumentException("checkpoint " + ck.dir() + " has format " + json.get("format").asInt()
                    + "; this version reads formats 1 and " + FORMAT);
        }
        if (!legacy && !algorithm.name().equals(json.path("method").asText())) {
            throw new IllegalArgumentException("checkpoint " + ck.dir() + " belongs to a " + json.path("method").asText()
                    + " run, not " + algorithm.name() + "; use a new checkpoint folder");
        }
        String why = algorithm.incompatibility(json.get("config").toString());
        if (why != null) {
            throw new IllegalArgumentException("checkpoint " + ck.dir() + " cannot be resumed: " + why
                    + "; use a new checkpoint folder or the same settings to resume");
        }
        if (!legacy) {
            checkData(json.get("data"), ck);
        }
        int step = (int) ck.step();
        if (step > totalSteps) {
            throw new IllegalArgumentException("checkpoint " + ck.dir() + " is at step " + step + ", beyond the requested "
                    + totalSteps + " steps");
        }
        List<String> names = state.engine().parameterNames();
        List<INDArray> updater = new ArrayList<>();
        List<INDArray> shadow = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            INDArray p = arrays.get("param/" + names.get(i));
            if (p == null) {
                throw new IllegalArgumentException("checkpoint " + ck.dir() + " has no parameter '" + names.get(i) + "'");
            }
            state.parameters().get(i).assign(p);
            updater.add(arrays.get("updater/" + names.get(i)));
            shadow.add(arrays.get("ema/" + names.get(i)));
        }
        state.updater().loadState(updater);
        state.updater().setIteration(legacy ? step : json.get("updaterIteration").asInt());
        if (state.ema() != null) {
            state.ema().load(shadow);
            state.ema().setUpdates(legacy ? step : json.get("emaUpdates").asLong());
        }
        double scale = legacy ? 1.0 : json.get("stepScale").asDouble();
        if (scale != 1.0) {
            state.setStepScale(scale);
        }
        state.streams().forEach((n, it) -> it.seek(legacy ? step : json.path("streams").path(n).asLong(step)));
        List<StepMetrics> history = new ArrayList<>();
        if (legacy) {
            float[] losses = arrays.get("history/loss").toFloatVector();
            for (int s = 0; s < step; s++) {
                history.add(new StepMetrics(s, losses[s], Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN, Double.NaN, Double.NaN, false, Double.NaN, 1.0, Double.NaN));
            }
        } else {
            json.path("scalars").fields().forEachRemaining(e -> state.setScalar(e.getKey(), e.getValue().asDouble()));
            for (JsonNode node : json.withArray("history")) {
                history.add(JSON.treeToValue(node, StepMetrics.class));
            }
        }
        JsonNode reason = json.path("stopReason");
        return Optional.of(new Resumed(history, reason.isTextual() ? reason.asText() : null));
    }

    /** The checkpoint's JSON state: an object, else the checkpoint is corrupt. */
    private static JsonNode readState(CheckpointStore.Checkpoint ck) throws IOException {
        Path file = ck.dir().resolve(CheckpointStore.JSON);
        JsonNode json;
        try {
            json = JSON.readTree(ck.json());
        } catch (JsonProcessingException e) {
            throw new CorruptModelException(file + ": not a readable checkpoint state (truncated or corrupt): "
                    + e.getOriginalMessage(), e);
        }
        if (json == null || !json.isObject()) {
            throw new CorruptModelException(file + ": not a checkpoint state (empty or not a JSON object)", null);
        }
        return json;
    }

    private void checkData(JsonNode saved, CheckpointStore.Checkpoint ck) {
        algorithm.data().forEach((role, d) -> {
            String hash = saved.path(role).path("sha256").asText();
            if (!hash.equals(d.sha256())) {
                throw new IllegalArgumentException("checkpoint " + ck.dir() + " belongs to a run on another " + role
                        + " set (sha256 " + hash + ", this run's is " + d.sha256() + ")");
            }
        });
    }

    /** A copy of {@code original} whose parameters {@code names} hold {@code weights}. */
    static SameDiff withWeights(SameDiff original, List<String> names, List<INDArray> weights) {
        SameDiff copy = original.dup();
        for (int i = 0; i < names.size(); i++) {
            copy.getVariable(names.get(i)).getArr().assign(weights.get(i));
        }
        return copy;
    }

}
