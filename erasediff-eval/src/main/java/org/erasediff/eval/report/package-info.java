/**
 * Reports and pictures of an evaluation: image grids ({@link org.erasediff.eval.report.ImageGrid}),
 * line and scatter plots ({@link org.erasediff.eval.report.Plots}, XChart, headless), and a report
 * folder with {@code report.json}, {@code report.md} and the PNGs
 * ({@link org.erasediff.eval.report.EvaluationReportWriter}) comparing one or more
 * {@link org.erasediff.eval.report.ModelEvaluation}s.
 *
 * <p>Every file is written atomically ({@link org.erasediff.dl4j.checkpoint.AtomicFiles}): a reader sees
 * the old file or the complete new one, never a partial write. Rendering sets
 * {@code java.awt.headless=true} unless the application already chose a value.
 */
package org.erasediff.eval.report;
