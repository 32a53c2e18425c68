package org.erasediff.core.sampling;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.erasediff.core.schedule.NoiseSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Accuracy of DPM-Solver++(2M) against DDIM (η = 0) on Gaussian data x_0 ~ N(μ, s²·I), where the
 * exact probability-flow ODE solution from x_T is known in closed form
 * ({@link GaussianOraclePredictor#exactX0}). Both solvers run in double on the same x_T and the
 * same timesteps, with the exact noise predictor, so any difference is the solvers' own error.
 * The thresholds sit well clear of the measured values (in the comments); rms = root mean
 * square over the 256 values.
 */
class DpmSolverGaussianTest {

    private static final double MU = 0.3;
    private static final double S = 0.5;

    private final NoiseSchedule schedule = NoiseSchedule.linear();
    private final NoisePredictor oracle = new GaussianOraclePredictor(schedule, Map.of(NoisePredictor.NULL_LABEL, MU),
            S, false);
    private final INDArray xT = startingNoise();
    private final double[] exact = GaussianOraclePredictor.exactX0(schedule, MU, S, xT.reshape(-1).toDoubleVector());

    /**
     * Few steps: DPM-Solver++ lands markedly closer to the exact x_0 than DDIM. Measured rms
     * errors (DPM++ / DDIM, ratio): quadratic 5: 0.107 / 0.156 (0.68), 10: 0.0205 / 0.0774
     * (0.26), 20: 0.0095 / 0.0384 (0.25); uniform 10: 0.0995 / 0.128 (0.78), 20: 0.0218 /
     * 0.0644 (0.34).
     */
    @ParameterizedTest(name = "{0} spacing, {1} steps")
    @CsvSource({"QUADRATIC, 5, 0.8", "QUADRATIC, 10, 0.4", "QUADRATIC, 20, 0.4", "UNIFORM, 10, 0.9",
            "UNIFORM, 20, 0.5"})
    void withFewStepsDpmSolverIsCloserToTheExactSolutionThanDdim(TimestepSpacing spacing, int steps,
                                                                 double maxRatio) {
        int[] ts = spacing.timesteps(schedule.numTimesteps(), steps);
        double ddim = rms(ddim(ts), exact);
        double dpm = rms(dpm(new DpmSolverPlusPlusStep(schedule, false), ts), exact);
        assertTrue(ddim > 0.03, "the problem must not be trivial for DDIM: rms error " + ddim);
        assertTrue(dpm < maxRatio * ddim, "DPM-Solver++ rms error " + dpm + " vs DDIM " + ddim);
    }

    /**
     * Why the step into t' = 0 is first order: with 10 uniform steps the plain second-order
     * step overshoots (measured rms 0.178, worse than DDIM's 0.128), the lower-order one does
     * not (0.0995).
     */
    @Test
    void lowerOrderFinalStepsKeepFewUniformStepsAheadOfDdim() {
        int[] ts = TimestepSpacing.UNIFORM.timesteps(schedule.numTimesteps(), 10);
        double ddim = rms(ddim(ts), exact);
        double plain = rms(dpm(new DpmSolverPlusPlusStep(schedule, false, false), ts), exact);
        double lowerOrderFinal = rms(dpm(new DpmSolverPlusPlusStep(schedule, false), ts), exact);
        assertTrue(plain > 1.2 * ddim, "second order into t=0: " + plain + " vs DDIM " + ddim);
        assertTrue(lowerOrderFinal < 0.9 * ddim, "first order into t=0: " + lowerOrderFinal + " vs DDIM " + ddim);
    }

    /**
     * Many steps: both solvers approach the exact x_0 and each other, DDIM at first order.
     * Measured rms (uniform spacing): 200 steps DDIM 6.6e-3, DPM++ 3.1e-4, apart 6.9e-3; 500
     * steps DDIM 2.7e-3, DPM++ 1.0e-5, apart 2.7e-3.
     */
    @Test
    void withManyStepsBothSolversConvergeToTheExactSolutionAndToEachOther() {
        double[] ddimErr = new double[2];
        double[] dpmErr = new double[2];
        double[] apart = new double[2];
        int[] steps = {200, 500};
        for (int i = 0; i < steps.length; i++) {
            int[] ts = TimestepSpacing.UNIFORM.timesteps(schedule.numTimesteps(), steps[i]);
            double[] ddim = ddim(ts);
            double[] dpm = dpm(new DpmSolverPlusPlusStep(schedule, false), ts);
            ddimErr[i] = rms(ddim, exact);
            dpmErr[i] = rms(dpm, exact);
            apart[i] = rms(ddim, dpm);
        }
        String all = "DDIM " + Arrays.toString(ddimErr) + ", DPM++ " + Arrays.toString(dpmErr) + ", apart "
                + Arrays.toString(apart);
        assertTrue(ddimErr[1] < 0.5 * ddimErr[0] && ddimErr[1] < 4e-3, all);
        assertTrue(dpmErr[0] < 1e-3 && dpmErr[1] < 2e-4 && dpmErr[1] < dpmErr[0], all);
        assertTrue(apart[1] < 0.5 * apart[0] && apart[1] < 4e-3, all);
    }

    private double[] ddim(int[] ts) {
        INDArray x = xT.dup();
        DdimStep step = new DdimStep(schedule, 0.0, false);
        for (int i = 0; i < ts.length; i++) {
            step.step(x, oracle.predictNoise(x, filled(x, ts[i]), null), ts[i], next(ts, i), null);
        }
        return x.reshape(-1).toDoubleVector();
    }

    private double[] dpm(DpmSolverPlusPlusStep step, int[] ts) {
        INDArray x = xT.dup();
        DpmSolverPlusPlusStep.History history = new DpmSolverPlusPlusStep.History();
        for (int i = 0; i < ts.length; i++) {
            step.step(x, oracle.predictNoise(x, filled(x, ts[i]), null), ts[i], next(ts, i), history);
        }
        return x.reshape(-1).toDoubleVector();
    }

    private static int next(int[] ts, int i) {
        return i + 1 < ts.length ? ts[i + 1] : -1;
    }

    private static int[] filled(INDArray x, int t) {
        int[] out = new int[(int) x.size(0)];
        Arrays.fill(out, t);
        return out;
    }

    static double rms(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(sum / a.length);
    }

    @SuppressWarnings("try") // Random.close() declares InterruptedException
    private static INDArray startingNoise() {
        INDArray x = Nd4j.create(DataType.DOUBLE, 16, 1, 4, 4);
        try (Random rng = Nd4j.getRandomFactory().getNewRandomInstance(42L)) {
            Nd4j.randn(x, rng);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return x;
    }
}
