package org.erasediff.dl4j.unlearn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.unlearn.ForgetTarget;
import org.erasediff.core.unlearn.RemainTarget;
import org.erasediff.core.util.RngPurpose;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.loop.LoopState;
import org.erasediff.dl4j.loop.StepAlgorithm;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What every unlearning step shares — EraseDiff's two and the baselines: the deletion request and
 * the noise schedule, their validation against the graph, the remain and forget batch streams,
 * and each step's remain and forget batches ({@link UnlearningBatches}). Subclasses supply the
 * update.
 */
abstract class UnlearningStep implements StepAlgorithm {

    private static final ObjectMapper JSON = new ObjectMapper();

    protected final ScheduleConfig scheduleConfig;
    protected final ForgetRemainSplit split;
    private final int remainBatchSize;
    private final int forgetBatchSize;
    private final ForgetTarget target;
    /** The model whose predictions the remain rows regress onto, or {@code null} for the drawn noise. */
    private final DiffusionGraph remainTeacher;
    /** How the remain rows use it. */
    private final RemainTarget remainTarget;
    /** The weight of its prediction in the remain target. */
    private final double remainOriginalWeight;
    protected UnlearningBatches batches;

    /**
     * @param split           the deletion request
     * @param scheduleConfig  the model's noise schedule
     * @param remainBatchSize B_r
     * @param forgetBatchSize B_f
     * @param target          what the forget rows regress onto
     */
    UnlearningStep(ForgetRemainSplit split, ScheduleConfig scheduleConfig, int remainBatchSize, int forgetBatchSize,
                   ForgetTarget target) {
        this(split, scheduleConfig, remainBatchSize, forgetBatchSize, target, RemainTarget.NOISE, 1.0, null);
    }

    /**
     * @param split           the deletion request
     * @param scheduleConfig  the model's noise schedule
     * @param remainBatchSize B_r
     * @param forgetBatchSize B_f
     * @param target          what the forget rows regress onto
     * @param remainTarget    what the remain rows regress onto
     * @param remainOriginalWeight the weight of the original's prediction in the remain target, in (0, 1]
     * @param original        the original model (never trained), whose detached predictions the remain
     *                        rows regress onto when {@code remainTarget} uses it; else unused
     */
    UnlearningStep(ForgetRemainSplit split, ScheduleConfig scheduleConfig, int remainBatchSize, int forgetBatchSize,
                   ForgetTarget target, RemainTarget remainTarget, double remainOriginalWeight,
                   DiffusionGraph original) {
        this.remainTarget = remainTarget;
        this.remainOriginalWeight = remainOriginalWeight;
        this.remainTeacher = remainTarget.usesOriginal() ? Objects.requireNonNull(original, "original") : null;
        this.scheduleConfig = scheduleConfig;
        this.split = split;
        this.remainBatchSize = remainBatchSize;
        this.forgetBatchSize = forgetBatchSize;
        this.target = target;
    }

    /** Whether training timesteps come in antithetic pairs (the authors' code) or independently. */
    abstract boolean antitheticTimesteps();

    /** The method's config as JSON (without the schedule). */
    abstract String methodConfigJson();

    /** The images remain batches are drawn from (default: the split's remain set). */
    LabelledImages remainImages() {
        return split.remain();
    }

    /** The method's config and the noise schedule, both of which a resume must match. */
    @Override
    public String configJson() {
        try {
            ObjectNode n = JSON.createObjectNode();
            n.set(name(), JSON.readTree(methodConfigJson()));
            n.set("schedule", JSON.valueToTree(scheduleConfig));
            return JSON.writeValueAsString(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, DataDescription> data() {
        Map<String, DataDescription> d = new LinkedHashMap<>();
        d.put("forget", describe(split.forget(), split.description()));
        d.put("remain", describe(split.remain(), split.remain().name()));
        return d;
    }

    private static DataDescription describe(LabelledImages images, String name) {
        return new DataDescription(name, images.size(), images.contentHash());
    }

    @Override
    public void prepare(LoopState state) {
        DiffusionGraph model = state.working();
        long[] chw = model.imageShape();
        for (LabelledImages set : new LabelledImages[] {split.forget(), split.remain()}) {
            if (set.channels() != chw[0] || set.height() != chw[1] || set.width() != chw[2]) {
                throw new IllegalArgumentException("images of " + set.name() + " are " + set.channels() + "x"
                        + set.height() + "x" + set.width() + " but the graph takes " + Arrays.toString(chw));
            }
        }
        if (target.requiresConditionalModel() && !model.isConditional()) {
            throw new IllegalArgumentException(name() + " with forget target " + target
                    + " needs a conditional model; this graph is unconditional");
        }
        if (model.isConditional() && split.forget().numClasses() > model.spec().numClasses()) {
            throw new IllegalArgumentException("the data has " + split.forget().numClasses()
                    + " classes but the graph only " + model.spec().numClasses());
        }
        if (remainTeacher != null && !Arrays.equals(remainTeacher.imageShape(), chw)) {
            throw new IllegalArgumentException("the remain target's model takes " + Arrays.toString(
                    remainTeacher.imageShape()) + " images but the graph " + Arrays.toString(chw));
        }
        if (remainTarget == RemainTarget.ORIGINAL_WITHOUT_FORGET && model.isConditional()) {
            throw new IllegalArgumentException("remain target ORIGINAL_WITHOUT_FORGET is for unconditional models (its "
                    + "forget share ignores labels); use ORIGINAL for this class-conditional graph");
        }
        if (scheduleConfig.timesteps() != model.spec().numTimesteps()) {
            throw new IllegalArgumentException("the noise schedule has T = " + scheduleConfig.timesteps()
                    + " but the graph spec says numTimesteps = " + model.spec().numTimesteps());
        }
        batches = new UnlearningBatches(split,
                state.addStream("remain", remainImages(), remainBatchSize, RngPurpose.REMAIN_BATCHES),
                state.addStream("forget", split.forget(), forgetBatchSize, RngPurpose.FORGET_BATCHES),
                chw, model, NoiseSchedule.create(scheduleConfig), target, state.rng(), antitheticTimesteps(),
                remainTarget);
    }

    /** Whether a step uses a remain batch (default true). */
    boolean drawsRemain() {
        return true;
    }

    /** Whether a step uses a forget batch from the forget set (default true). */
    boolean drawsForget() {
        return true;
    }

    @Override
    public void drawBatch(int step, LoopState state) {
        if (drawsRemain()) {
            batches.drawRemain(step);
        }
        if (drawsForget()) {
            batches.drawForget(step, state.working());
        }
        if (remainTeacher != null && drawsRemain()) {
            batches.regressRemainOnto(remainTeacher, remainTarget, remainOriginalWeight);
        }
    }

    /**
     * The rows the step trains on: its remain rows, then its forget rows (allocates when both are
     * used: called only for attached SameDiff listeners).
     */
    @Override
    public MultiDataSet listenerBatch() {
        UnlearningBatches.Rows r = batches.remainRows;
        UnlearningBatches.Rows f = batches.forgetRows;
        INDArray x = !drawsForget() ? r.xt : !drawsRemain() ? f.xt : Nd4j.concat(0, r.xt, f.xt);
        INDArray y = !drawsForget() ? r.target : !drawsRemain() ? f.target : Nd4j.concat(0, r.target, f.target);
        return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {x}, new INDArray[] {y});
    }

    /** L_r and L_f of one stacked pass. */
    record StackedLosses(double remain, double forget) {
    }

    /**
     * One forward/backward over the stacked remain and forget rows: leaves the gradient of
     * {@code remainWeight}·L_r + {@code forgetWeight}·L_f in the gradient buffers.
     */
    StackedLosses stackedPass(LoopState state, double remainWeight, double forgetWeight) {
        batches.stack(remainWeight, forgetWeight);
        state.engine().computeGradients(batches.xt, batches.timesteps, batches.labels, batches.target0,
                batches.weights);
        double[] per = state.engine().perSampleLosses();
        int br = batches.remainRows.size();
        return new StackedLosses(mean(per, 0, br), mean(per, br, per.length));
    }

    /** Mean of {@code v[from, to)}. */
    static double mean(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / (to - from);
    }
}
