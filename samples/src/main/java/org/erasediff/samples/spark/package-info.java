/**
 * Sweeps on Apache Spark: {@link org.erasediff.samples.spark.SparkSweepRunner} runs a sweep's
 * candidates as Spark tasks (one candidate per task, the task's cores as ND4J threads; results
 * streamed by the driver into the same results folder the local runner writes), and
 * {@link org.erasediff.samples.spark.SparkSweep} is the {@code spark-submit} entry point of the
 * {@code sweep} command. Spark is a provided dependency: {@code spark-submit} supplies it.
 */
package org.erasediff.samples.spark;
