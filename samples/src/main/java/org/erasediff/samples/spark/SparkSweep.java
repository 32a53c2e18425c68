package org.erasediff.samples.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.erasediff.samples.cli.SweepCommand;
import picocli.CommandLine;

/**
 * {@code spark-submit} entry point: the {@code sweep} command (same options, same outputs) with its
 * candidates run as Spark tasks by {@link SparkSweepRunner}. The master and resources come from
 * {@code spark-submit}. {@code --status-log} is refused (Arbiter's status listeners follow its local
 * runner only). Bad input exits with 2 and one line, as the launcher's commands do.
 */
public final class SparkSweep {

    private SparkSweep() {
    }

    /** Runs the sweep command on Spark and exits with its status. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        int code;
        try (JavaSparkContext spark = new JavaSparkContext(new SparkConf().setAppName("erasediff-sweep"))) {
            spark.setLogLevel("WARN");
            SparkSweepRunner runner = new SparkSweepRunner(spark);
            CommandLine cli = new CommandLine(new SweepCommand((plan, problem, output, listeners) -> {
                if (!listeners.isEmpty()) {
                    throw new IllegalArgumentException("--status-log applies to the local runner only");
                }
                return runner.run(plan, problem, output);
            }));
            cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
                cmd.getErr().println("erasediff sweep: error: " + ex.getMessage());
                if (ex instanceof IllegalArgumentException) {
                    return 2;
                }
                ex.printStackTrace(cmd.getErr());
                return 1;
            });
            code = cli.execute(args);
        }
        System.exit(code);
    }
}
