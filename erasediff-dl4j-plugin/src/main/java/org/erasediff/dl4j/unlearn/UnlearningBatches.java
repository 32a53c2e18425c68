package org.erasediff.dl4j.unlearn;

import java.util.SplittableRandom;
import org.erasediff.core.data.BatchIterator;
import org.erasediff.core.data.ForgetRemainSplit;
import org.erasediff.core.data.LabelledImages;
import org.erasediff.core.schedule.NoiseSchedule;
import org.erasediff.core.schedule.TrainingTimesteps;
import org.erasediff.core.unlearn.ForgetTarget;
import org.erasediff.core.unlearn.OriginalWithoutForget;
import org.erasediff.core.unlearn.RemainTarget;
import org.erasediff.core.util.RngPurpose;
import org.erasediff.core.util.RngStreams;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Builds the batches of an unlearning step in preallocated buffers.
 *
 * <p>The remain rows: Gaussian noise ε, x_t = √ᾱ_t·x_0 + √(1−ᾱ_t)·ε, target ε. The forget rows:
 * for a noise target the same drawn ε̂ builds x_t and is the target; for a pseudo-label target
 * x_t is built from Gaussian noise and the target is the current model's prediction under the
 * pseudo-label, computed by a separate forward pass (so no gradient flows through it); for the
 * remain-posterior target x_t is built from Gaussian noise and the target is the optimal denoiser
 * at x_t of the remain batch (drawn first) or of the target's own pool of remain images, drawn
 * with the remain batch. The
 * stacked batch puts the remain rows first (weight 1/B_r) and the forget rows after them (weight
 * λ/B_f), so one weighted loss gives ∇L_r + λ∇L_f.
 *
 * <p>Every draw is a function of (seed, purpose, step, sub-step) and of the batch streams'
 * positions, so a rolled-back or resumed step sees the same batch. Inner epochs (the
 * reference-compatible rounds) are one pass over the whole forget set in a fresh order per
 * (step, epoch), the last batch smaller when the set does not divide evenly; they draw no remain
 * batch and do not move the streams.
 */
final class UnlearningBatches {

    private final NoiseSchedule schedule;
    private final ForgetTarget target;
    private final RngStreams rng;
    private final LabelledImages forgetSet;
    private final BatchIterator remain;
    private final BatchIterator forget;
    private final boolean antithetic;
    private final boolean[] forgottenLabels;
    private final int numClasses;
    private final Random nd4jRng;
    private final float[] staging;
    private final int[] epochOrder;
    /** Whether a remain batch has been drawn (the remain-posterior target needs its clean images). */
    private boolean remainDrawn;
    /** Whether the outer forget batch's clean images are kept in {@code forgetRows.images}. */
    private boolean forgetDrawn;
    /** Whether both batches keep their clean images (the original-without-forget remain target). */
    private final boolean keepCleanImages;
    /** π_f: the forget set's share of all the training images. */
    private final double forgetPrior;
    /** The remain set, for a remain-posterior pool (else null). */
    private final LabelledImages remainSet;
    /** The remain-posterior target's pool of clean remain images, redrawn every step (else null). */
    private final INDArray poolImages;
    private final int[] poolPositions;
    /** The pool images' labels (a same-class pool, else null). */
    private final int[] poolLabels;
    /**
     * The remain positions the pool is drawn from, one group per pool segment: the whole remain set,
     * or for a same-class pool the remain images of each forgotten class, each in ascending order
     * between draws.
     */
    private final int[][] poolSources;
    /** How many images each pool segment takes from its source. */
    private final int[] poolTakes;
    /** The swap partners of the latest draw, to put the sources back in order (scratch). */
    private final int[] poolSwaps;
    private final float[] poolStaging;

    /** All rows, remain first: noisy images, targets, timesteps, labels and weights. */
    final INDArray xt;
    final INDArray target0;
    final int[] timesteps;
    final int[] labels;
    final INDArray weights;
    /** The remain rows. */
    final Rows remainRows;
    /** The forget rows of the outer step (full forget batch). */
    final Rows forgetRows;
    /** Inner-epoch batches (own buffers: an inner epoch never overwrites the outer step's batch). */
    private final Rows innerRows;
    /** The last, smaller batch of an inner epoch, when the forget set does not divide evenly (else null). */
    private final Rows partialInnerRows;

    /** One group of rows: noisy images, targets, timesteps, labels, weights 1/n and pseudo-labels. */
    static final class Rows {
        final INDArray xt;
        final INDArray target;
        final int[] timesteps;
        final int[] labels;
        final INDArray weights;
        final int[] pseudo;
        /** Clean images of an inner-epoch batch, scaled to [−1, 1]. */
        final INDArray images;

        Rows(int n, long[] chw, boolean conditional) {
            xt = Nd4j.create(DataType.FLOAT, n, chw[0], chw[1], chw[2]);
            images = xt.ulike();
            target = xt.ulike();
            timesteps = new int[n];
            labels = conditional ? new int[n] : null;
            weights = Nd4j.valueArrayOf(new long[] {n}, 1f / n, DataType.FLOAT);
            pseudo = conditional ? new int[n] : null;
        }

        int size() {
            return timesteps.length;
        }
    }

    /**
     * @param split      the deletion request
     * @param remain     the remain-batch stream (registered with the loop)
     * @param forget     the forget-batch stream (registered with the loop)
     * @param chw        image shape
     * @param model      the model being unlearned (conditional or not, its classes)
     * @param schedule   the noise schedule
     * @param target     the forgetting target
     * @param rng        the run's seed streams
     * @param antithetic whether timesteps come in antithetic pairs (the reference code) or independently
     */
    UnlearningBatches(ForgetRemainSplit split, BatchIterator remain, BatchIterator forget, long[] chw,
                      DiffusionGraph model, NoiseSchedule schedule, ForgetTarget target, RngStreams rng,
                      boolean antithetic) {
        this(split, remain, forget, chw, model, schedule, target, rng, antithetic, RemainTarget.NOISE);
    }

    /**
     * The same with a remain target.
     *
     * @param split        the deletion request
     * @param remain       the remain-batch stream (registered with the loop)
     * @param forget       the forget-batch stream (registered with the loop)
     * @param chw          image shape
     * @param model        the model being unlearned (conditional or not, its classes)
     * @param schedule     the noise schedule
     * @param target       the forgetting target
     * @param rng          the run's seed streams
     * @param antithetic   whether timesteps come in antithetic pairs (the reference code) or independently
     * @param remainTarget what the remain rows regress onto (ORIGINAL_WITHOUT_FORGET keeps both batches'
     *                     clean images)
     */
    UnlearningBatches(ForgetRemainSplit split, BatchIterator remain, BatchIterator forget, long[] chw,
                      DiffusionGraph model, NoiseSchedule schedule, ForgetTarget target, RngStreams rng,
                      boolean antithetic, RemainTarget remainTarget) {
        this.schedule = schedule;
        this.keepCleanImages = remainTarget == RemainTarget.ORIGINAL_WITHOUT_FORGET;
        this.forgetPrior = split.forget().size() / (double) (split.forget().size() + split.remain().size());
        this.target = target;
        this.rng = rng;
        this.forgetSet = split.forget();
        this.remain = remain;
        this.forget = forget;
        this.antithetic = antithetic;
        boolean conditional = model.isConditional();
        this.numClasses = conditional ? model.spec().numClasses() : 0;
        this.forgottenLabels = new boolean[Math.max(numClasses, 0)];
        if (conditional) {
            for (int i = 0; i < forgetSet.size(); i++) {
                forgottenLabels[forgetSet.label(i)] = true;
            }
        }
        if (target instanceof ForgetTarget.PseudoLabel pl) {
            pl.checkAgainst(forgottenLabels, numClasses);
        }
        if (target instanceof ForgetTarget.RemainPosterior rp) {
            rp.timestep(0, schedule.numTimesteps()); // minTimestep below T, before any work
        }
        this.nd4jRng = Nd4j.getRandomFactory().getNewRandomInstance(rng.runSeed());
        int br = remain.batchSize();
        int bf = forget.batchSize();
        xt = Nd4j.create(DataType.FLOAT, br + bf, chw[0], chw[1], chw[2]);
        target0 = xt.ulike();
        weights = Nd4j.create(DataType.FLOAT, br + bf);
        timesteps = new int[br + bf];
        labels = conditional ? new int[br + bf] : null;
        remainRows = new Rows(br, chw, conditional);
        forgetRows = new Rows(bf, chw, conditional);
        int rest = forgetSet.size() % bf;
        innerRows = forgetSet.size() >= bf ? new Rows(bf, chw, conditional) : null;
        partialInnerRows = rest == 0 ? null : new Rows(rest, chw, conditional);
        staging = new float[bf * forgetSet.imageSize()];
        epochOrder = new int[forgetSet.size()];
        ForgetTarget.RemainPosterior rp = target instanceof ForgetTarget.RemainPosterior p ? p : null;
        boolean sameClass = rp != null && rp.sameClass();
        poolSources = rp == null || rp.pool() == 0 ? new int[0][]
                : sameClass ? remainByForgottenClass(split.remain()) : new int[][] {identity(split.remain().size())};
        poolTakes = new int[poolSources.length];
        int pool = 0;
        for (int g = 0; g < poolSources.length; g++) {
            poolTakes[g] = Math.min(rp.pool(), poolSources[g].length);
            pool += poolTakes[g];
        }
        remainSet = pool > 0 ? split.remain() : null;
        poolImages = pool > 0 ? Nd4j.create(DataType.FLOAT, pool, chw[0], chw[1], chw[2]) : null;
        poolPositions = new int[pool];
        poolSwaps = new int[pool];
        poolLabels = sameClass ? new int[pool] : null;
        poolStaging = pool > 0 ? new float[pool * remainSet.imageSize()] : null;
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    /** The remain positions of each forgotten class, in class order; every forgotten class must keep one. */
    private int[][] remainByForgottenClass(LabelledImages remainImages) {
        int[] counts = new int[numClasses];
        for (int i = 0; i < remainImages.size(); i++) {
            counts[remainImages.label(i)]++;
        }
        int groups = 0;
        for (int c = 0; c < numClasses; c++) {
            if (forgottenLabels[c]) {
                if (counts[c] == 0) {
                    throw new IllegalArgumentException("forget target REMAIN_POSTERIOR with sameClass needs remaining "
                            + "images of each forgotten class, and class " + c + " has none left (the request "
                            + "forgets the whole class: use the target without sameClass)");
                }
                groups++;
            }
        }
        int[][] out = new int[groups][];
        int[] filled = new int[numClasses];
        int[] group = new int[numClasses];
        for (int c = 0, g = 0; c < numClasses; c++) {
            if (forgottenLabels[c]) {
                group[c] = g;
                out[g++] = new int[counts[c]];
            }
        }
        for (int i = 0; i < remainImages.size(); i++) {
            int c = remainImages.label(i);
            if (forgottenLabels[c]) {
                out[group[c]][filled[c]++] = i;
            }
        }
        return out;
    }

    /** Draws step {@code step}'s remain batch. */
    void drawRemain(int step) {
        BatchIterator.Batch r = remain.next();
        fillTimesteps(new SplittableRandom(rng.seed(RngPurpose.TIMESTEPS, step, 0)), remainRows.timesteps);
        nd4jRng.setSeed(rng.seed(RngPurpose.NOISE, step));
        Nd4j.getExecutioner().exec(new GaussianDistribution(remainRows.target, 0.0, 1.0), nd4jRng);
        schedule.addNoise(r.images(), remainRows.target, remainRows.timesteps, remainRows.xt);
        if (target instanceof ForgetTarget.RemainPosterior || keepCleanImages) {
            remainRows.images.assign(r.images());
            remainDrawn = true;
        }
        if (poolImages != null) {
            drawPool(step);
        }
        if (remainRows.labels != null) {
            System.arraycopy(r.labels(), 0, remainRows.labels, 0, remainRows.size());
        }
    }

    /**
     * Replaces the remain rows' targets by {@code teacher}'s prediction at their noisy images,
     * timesteps and labels (a separate forward pass: no gradient flows through it); with
     * {@link RemainTarget#ORIGINAL_WITHOUT_FORGET} the forget data's share of the prediction is then
     * taken out ({@link OriginalWithoutForget}, over the step's remain and forget batches, which must
     * both be drawn). With {@code weight} below 1 the target is {@code weight}·that + (1 − weight)·the
     * drawn noise.
     */
    void regressRemainOnto(DiffusionGraph teacher, RemainTarget kind, double weight) {
        INDArray prediction = teacher.predictNoise(remainRows.xt, remainRows.timesteps, remainRows.labels);
        if (kind == RemainTarget.ORIGINAL_WITHOUT_FORGET) {
            if (!remainDrawn || !forgetDrawn) {
                throw new IllegalStateException("remain target " + kind + " needs the step's remain and forget batches");
            }
            OriginalWithoutForget.fill(prediction, remainRows.xt, remainRows.timesteps, remainRows.images,
                    forgetRows.images, forgetPrior, schedule, prediction);
        }
        if (weight == 1) {
            remainRows.target.assign(prediction);
        } else {
            // w·prediction + (1 − w)·ε: the gradient of w·‖prediction − ε_θ‖² + (1 − w)·‖ε − ε_θ‖²
            remainRows.target.muli(1 - weight).addi(prediction.muli(weight));
        }
    }

    /**
     * The remain-posterior pool of step {@code step}: distinct remain images from each source (the
     * remain set, or each forgotten class's remaining images), a partial Fisher–Yates shuffle of the
     * source in ascending order; the swaps are undone afterwards (in O(pool), not O(source)), so the
     * draw depends on the step alone.
     */
    private void drawPool(int step) {
        SplittableRandom r = new SplittableRandom(rng.seed(RngPurpose.POSTERIOR_POOL, step));
        int at = 0;
        for (int g = 0; g < poolSources.length; g++) {
            int[] source = poolSources[g];
            int first = at;
            for (int i = 0; i < poolTakes[g]; i++) {
                int j = i + r.nextInt(source.length - i);
                swap(source, i, j);
                poolSwaps[at] = j;
                poolPositions[at] = source[i];
                if (poolLabels != null) {
                    poolLabels[at] = remainSet.label(source[i]);
                }
                at++;
            }
            for (int i = poolTakes[g] - 1; i >= 0; i--) {
                swap(source, i, poolSwaps[first + i]);
            }
        }
        remainSet.copyScaled(poolPositions, poolImages, poolStaging);
    }

    /**
     * Draws step {@code step}'s forget batch from the forget stream; a pseudo-label target costs one
     * forward pass of {@code model}.
     */
    void drawForget(int step, DiffusionGraph model) {
        BatchIterator.Batch f = forget.next();
        if (keepCleanImages) {
            forgetRows.images.assign(f.images());
            forgetDrawn = true;
        }
        fillForget(forgetRows, f.images(), f.labels(), step, 0, model);
    }

    /** The number of batches of an inner epoch: one pass over the forget set. */
    int batchesPerEpoch() {
        return (forgetSet.size() + forget.batchSize() - 1) / forget.batchSize();
    }

    /**
     * Draws batch {@code index} of inner epoch {@code epoch} of the round starting at {@code step}
     * (an order fixed per (step, epoch)); does not move the batch streams.
     *
     * @return the rows (the partial group for the last, smaller batch)
     */
    Rows drawInnerEpochBatch(int step, int epoch, int index, DiffusionGraph model) {
        if (index == 0) {
            SplittableRandom order = new SplittableRandom(rng.seed(RngPurpose.INNER_EPOCH_ORDER, step, epoch));
            for (int i = 0; i < epochOrder.length; i++) {
                epochOrder[i] = i;
            }
            for (int i = epochOrder.length - 1; i > 0; i--) {
                int j = order.nextInt(i + 1);
                int t = epochOrder[i];
                epochOrder[i] = epochOrder[j];
                epochOrder[j] = t;
            }
        }
        int bf = forget.batchSize();
        int from = index * bf;
        int n = Math.min(bf, epochOrder.length - from);
        Rows rows = n == bf ? innerRows : partialInnerRows;
        int[] positions = new int[n];
        int[] batchLabels = new int[n];
        System.arraycopy(epochOrder, from, positions, 0, n);
        for (int i = 0; i < n; i++) {
            batchLabels[i] = forgetSet.label(positions[i]);
        }
        forgetSet.copyScaled(positions, rows.images, staging);
        fillForget(rows, rows.images, batchLabels, step, 1 + (long) epoch * batchesPerEpoch() + index, model);
        return rows;
    }

    private void fillForget(Rows rows, INDArray images, int[] imageLabels, int step, long subStep,
                            DiffusionGraph model) {
        int n = rows.size();
        // sub-step 0 (the outer step) shares the remain batch's timestep stream, drawn after it
        SplittableRandom tr = new SplittableRandom(rng.seed(RngPurpose.TIMESTEPS, step, subStep));
        if (subStep == 0) {
            fillTimesteps(tr, new int[remainRows.size()]);
        }
        fillTimesteps(tr, rows.timesteps);
        if (rows.labels != null) {
            System.arraycopy(imageLabels, 0, rows.labels, 0, n);
        }
        nd4jRng.setSeed(rng.seed(RngPurpose.TARGETS, step, subStep));
        if (target instanceof ForgetTarget.NoiseTarget noiseTarget) {
            noiseTarget.fillTargetNoise(rows.target, nd4jRng);
            schedule.addNoise(images, rows.target, rows.timesteps, rows.xt);
        } else if (target instanceof ForgetTarget.PseudoLabel pl) {
            Nd4j.getExecutioner().exec(new GaussianDistribution(rows.target, 0.0, 1.0), nd4jRng);
            schedule.addNoise(images, rows.target, rows.timesteps, rows.xt);
            pl.pseudoLabels(forgottenLabels, numClasses,
                    new SplittableRandom(rng.seed(RngPurpose.TARGETS, step, subStep)), rows.pseudo);
            // the target is the current model's prediction under the other condition, detached
            rows.target.assign(model.predictNoise(rows.xt, rows.timesteps, rows.pseudo));
        } else if (target instanceof ForgetTarget.RemainPosterior rp) {
            if (!remainDrawn) {
                throw new IllegalStateException("forget target REMAIN_POSTERIOR needs the step's remain batch, and"
                        + " none has been drawn (a method that trains on the forget set alone cannot use it)");
            }
            for (int i = 0; i < n; i++) {
                rows.timesteps[i] = rp.timestep(rows.timesteps[i], schedule.numTimesteps());
            }
            Nd4j.getExecutioner().exec(new GaussianDistribution(rows.target, 0.0, 1.0), nd4jRng);
            schedule.addNoise(images, rows.target, rows.timesteps, rows.xt);
            if (rp.sameClass()) {
                rp.fillTarget(rows.xt, rows.timesteps, rows.labels, poolImages, poolLabels, schedule, rows.target);
            } else {
                rp.fillTarget(rows.xt, rows.timesteps, poolImages != null ? poolImages : remainRows.images, schedule,
                        rows.target);
            }
        } else {
            throw new IllegalStateException("unknown forget target " + target);
        }
    }

    private void fillTimesteps(SplittableRandom r, int[] out) {
        if (antithetic) {
            TrainingTimesteps.antithetic(r, out, schedule.numTimesteps());
        } else {
            TrainingTimesteps.uniform(r, out, schedule.numTimesteps());
        }
    }

    /** Copies the remain rows and the outer forget rows into the stacked batch with weights 1/B_r and λ/B_f. */
    void stack(double lambda) {
        stack(1.0, lambda);
    }

    /**
     * Draws step {@code step}'s forget rows from given clean images and labels instead of the forget
     * stream (e.g. Selective Amnesia's surrogate images), with the forgetting target as usual.
     */
    void drawForgetFrom(INDArray images, int[] imageLabels, int step, DiffusionGraph model) {
        fillForget(forgetRows, images, imageLabels, step, 0, model);
    }

    /**
     * Copies the remain rows and the outer forget rows into the stacked batch with weights
     * {@code remainWeight/B_r} and {@code forgetWeight/B_f}: one weighted loss whose gradient is
     * remainWeight·∇L_r + forgetWeight·∇L_f.
     */
    void stack(double remainWeight, double forgetWeight) {
        int br = remainRows.size();
        int bf = forgetRows.size();
        xt.get(NDArrayIndex.interval(0, br)).assign(remainRows.xt);
        xt.get(NDArrayIndex.interval(br, br + bf)).assign(forgetRows.xt);
        target0.get(NDArrayIndex.interval(0, br)).assign(remainRows.target);
        target0.get(NDArrayIndex.interval(br, br + bf)).assign(forgetRows.target);
        System.arraycopy(remainRows.timesteps, 0, timesteps, 0, br);
        System.arraycopy(forgetRows.timesteps, 0, timesteps, br, bf);
        if (labels != null) {
            System.arraycopy(remainRows.labels, 0, labels, 0, br);
            System.arraycopy(forgetRows.labels, 0, labels, br, bf);
        }
        weights.get(NDArrayIndex.interval(0, br)).assign(remainWeight / br);
        weights.get(NDArrayIndex.interval(br, br + bf)).assign(forgetWeight / bf);
    }
}
