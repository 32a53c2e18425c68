package org.erasediff.samples.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code erasediff unlearn}: EraseDiff on a diffusion model, with a before/after evaluation. */
@Command(name = "unlearn", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Unlearns classes (or individual training images) from a diffusion model with EraseDiff and "
                + "compares the model before and after. Default: the shipped MNIST model and data, judged by the "
                + "shipped classifiers (P(forgotten class), entropy, accuracy and FID on the other classes); or your "
                + "own model (--model, --spec), data (--data) and judge (--judge). An unconditional model is judged "
                + "by the class histogram of its samples (share_forget, class_histogram). A request for individual "
                + "images (--forget-ids, --forget-ids-file) is evidenced image by image: memorised_fraction (requested "
                + "images with a generated near-copy), mia_auc and mia_tpr_at_1pct_fpr (a membership-inference "
                + "attack against held-out images), accuracy and fid, before and after.",
                "Writes a new run folder (default runs/unlearn/<time>): config.json (the settings used), model.fb "
                + "and its card model.fb.json, history/, checkpoints/ and report/; for individual images also "
                + "deletion-report.json and deletion-report.md (the request with each image's SHA-256, both models' "
                + "hashes, the evidence, timings and versions)."})
final class UnlearnCommand implements Callable<Integer> {

    @Mixin
    ForgetOptions forget;

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Mixin
    EraseDiffOptions settings;

    @Mixin
    EvalOptions eval;

    @Mixin
    JudgeOptions judge;

    @Mixin
    DeletionOptions evidence;

    @Mixin
    CheckpointOptions checkpoints;

    @Mixin
    OutputOptions out;

    @Option(names = "--resume", description = "Continue an interrupted run in --output DIR from its newest checkpoint "
            + "(the same command line again, with --resume): the settings must be those of DIR/config.json, and the "
            + "model is bit-identical to an uninterrupted run's. Without a folder there, the run starts in it.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        RunFolder folder = resume ? out.resumableFolder(UnlearnJob.CONFIG, UnlearnJob.configText(
                settings.resolve(model.load().graph().isConditional(), !forget.byClass()))) : out.folder();
        UnlearnJob job = UnlearnJob.prepare(model, data, forget, settings, eval, judge, evidence, checkpoints, folder,
                out.commandLine());
        SummaryTable.print(job.run(), out.json);
        return 0;
    }
}
