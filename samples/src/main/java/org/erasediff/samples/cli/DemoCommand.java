package org.erasediff.samples.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code erasediff demo}: the main job — forget digit 0 from the shipped MNIST model and show the result. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Forgets digit 0 from the shipped MNIST diffusion model with EraseDiff (the unlearn "
                + "defaults), evaluates the model before and after with the shipped judges, writes the report and "
                + "prints a summary table. The same as 'unlearn --forget-class 0'.",
                "Writes a new run folder (default runs/demo/<time>): config.json, model.fb, model.fb.json, "
                + "history/, checkpoints/ and report/ (report.md with the sample grids)."})
final class DemoCommand implements Callable<Integer> {

    /** The digit the demo forgets. */
    static final int DIGIT = 0;

    @Mixin
    EraseDiffOptions settings;

    @Mixin
    EvalOptions eval;

    @Mixin
    CheckpointOptions checkpoints;

    @Mixin
    OutputOptions out;

    @Override
    public Integer call() throws Exception {
        RunFolder folder = out.folder();
        ForgetOptions digit = new ForgetOptions();
        digit.classes = List.of(String.valueOf(DIGIT));
        // the shipped model, data and judges: the options' defaults
        UnlearnJob job = UnlearnJob.prepare(new ModelOptions(), new DataOptions(), digit, settings, eval,
                new JudgeOptions(), new DeletionOptions(), checkpoints, folder, out.commandLine());
        SummaryTable.print(job.run(), out.json);
        return 0;
    }
}
