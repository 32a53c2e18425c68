package org.erasediff.eval.sweep;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.erasediff.dl4j.graph.DiffusionGraph;
import org.erasediff.dl4j.sweep.SweepScorer;
import org.erasediff.eval.generate.ModelEvaluator;

/**
 * Scores sweep candidates with a {@link ModelEvaluator}: images generated for the kept and the
 * forgotten classes with fixed seeds, every figure of the evaluation — {@code p_forget},
 * {@code argmax_forget}, {@code entropy_forget}, {@code fid_forget}, each further judge's (e.g.
 * {@code p_forget_sa}) — with the kept classes' {@code accuracy}, {@code fid} and {@code kid}
 * reported as {@code accuracy_remain}, {@code fid_remain} and {@code kid_remain}, as the commands
 * print them. An unconditional model generates {@link #unconditionalCount()} unprompted images
 * and is scored by the share of them each judge assigns to a forgotten class ({@code share_forget},
 * {@code share_forget_sa}) and their FID and KID against the kept classes' real images.
 */
public final class EvaluatorScorer implements SweepScorer {

    private final ModelEvaluator evaluator;
    private final int[] keptClasses;
    private final int perKeptClass;
    private final int[] forgetClasses;
    private final int perForgetClass;
    private final long seed;

    /**
     * @param evaluator      the evaluator (its generator's sampler and cache)
     * @param keptClasses    classes whose quality is measured, non-empty
     * @param perKeptClass   images per kept class, {@code >= 1}
     * @param forgetClasses  classes whose forgetting is measured, non-empty
     * @param perForgetClass images per forgotten class, {@code >= 1}
     * @param seed           generation seed (the same for every candidate)
     * @throws IllegalArgumentException if a class list is empty or a count is below 1
     */
    public EvaluatorScorer(ModelEvaluator evaluator, int[] keptClasses, int perKeptClass, int[] forgetClasses,
                           int perForgetClass, long seed) {
        if (keptClasses.length == 0 || forgetClasses.length == 0) {
            throw new IllegalArgumentException("a sweep scorer needs kept and forgotten classes, found "
                    + keptClasses.length + " and " + forgetClasses.length);
        }
        if (perKeptClass < 1 || perForgetClass < 1) {
            throw new IllegalArgumentException("images per class must be >= 1, were " + perKeptClass + " (kept) and "
                    + perForgetClass + " (forgotten)");
        }
        this.evaluator = evaluator;
        this.keptClasses = keptClasses.clone();
        this.perKeptClass = perKeptClass;
        this.forgetClasses = forgetClasses.clone();
        this.perForgetClass = perForgetClass;
        this.seed = seed;
    }

    @Override
    public Map<String, Double> score(DiffusionGraph model, String modelId) throws IOException {
        Map<String, Double> raw = model.isConditional()
                ? evaluator.evaluate("candidate", model, modelId, model.imageShape(), keptClasses, perKeptClass,
                        forgetClasses, perForgetClass, seed).evaluation().metrics()
                : evaluator.evaluateUnconditional("candidate", model, modelId, model.imageShape(),
                        unconditionalCount(), keptClasses, forgetClasses, seed).evaluation().metrics();
        Map<String, Double> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> out.put(switch (k) {
            case "accuracy", "fid", "kid" -> k + "_remain";
            default -> k;
        }, v));
        return out;
    }

    /**
     * Images an unconditional model generates per candidate: {@code perForgetClass} for every class,
     * kept or forgotten, so that about {@code perForgetClass} of them would show a forgotten class
     * before unlearning.
     */
    int unconditionalCount() {
        return perForgetClass * (keptClasses.length + forgetClasses.length);
    }
}
