package org.erasediff.dl4j.unlearn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.core.schedule.ScheduleConfig;
import org.erasediff.core.unlearn.EraseDiffConfig;
import org.erasediff.core.util.RngPurpose;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.loop.LoopState;
import org.erasediff.dl4j.loop.StepAlgorithm;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the two EraseDiff steps share: the config and the deletion request, the validation of
 * both against the graph, the remain and forget batch streams, and each outer step's batches.
 * {@link FaithfulEraseDiffStep} and {@link ReferenceEraseDiffStep} supply the update.
 */
abstract class EraseDiffStep implements StepAlgorithm {

    private static final ObjectMapper JSON = new ObjectMapper();

    protected final EraseDiffConfig config;
    protected final ScheduleConfig scheduleConfig;
    protected final ForgetRemainSplit split;
    protected UnlearningBatches batches;

    EraseDiffStep(EraseDiffConfig config, ScheduleConfig scheduleConfig, ForgetRemainSplit split) {
        this.config = config;
        this.scheduleConfig = scheduleConfig;
        this.split = split;
    }

    /** Whether training timesteps come in antithetic pairs (the authors' code) or independently. */
    abstract boolean antitheticTimesteps();

    /** The config and the noise schedule, both of which a resume must match. */
    @Override
    public String configJson() {
        try {
            ObjectNode n = JSON.createObjectNode();
            n.set("erasediff", JSON.readTree(config.toJson()));
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
        if (config.forgetTarget().requiresConditionalModel() && !model.isConditional()) {
            throw new IllegalArgumentException("forget target " + config.forgetTarget()
                    + " needs a conditional model; this graph is unconditional (use a uniform or shifted-Gaussian target)");
        }
        if (model.isConditional() && split.forget().numClasses() > model.spec().numClasses()) {
            throw new IllegalArgumentException("the data has " + split.forget().numClasses()
                    + " classes but the graph only " + model.spec().numClasses());
        }
        if (scheduleConfig.timesteps() != model.spec().numTimesteps()) {
            throw new IllegalArgumentException("the noise schedule has T = " + scheduleConfig.timesteps()
                    + " but the graph spec says numTimesteps = " + model.spec().numTimesteps());
        }
        batches = new UnlearningBatches(split,
                state.addStream("remain", split.remain(), config.remainBatchSize(), RngPurpose.REMAIN_BATCHES),
                state.addStream("forget", split.forget(), config.forgetBatchSize(), RngPurpose.FORGET_BATCHES),
                chw, model, NoiseSchedule.create(scheduleConfig), config.forgetTarget(), state.rng(),
                antitheticTimesteps());
    }

    @Override
    public void drawBatch(int step, LoopState state) {
        batches.drawRemain(step);
        batches.drawForget(step, state.working());
    }

    /** The outer step's remain rows followed by its forget rows (allocates: only for attached SameDiff listeners). */
    @Override
    public MultiDataSet listenerBatch() {
        INDArray x = Nd4j.concat(0, batches.remainRows.xt, batches.forgetRows.xt);
        INDArray y = Nd4j.concat(0, batches.remainRows.target, batches.forgetRows.target);
        return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {x}, new INDArray[] {y});
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
