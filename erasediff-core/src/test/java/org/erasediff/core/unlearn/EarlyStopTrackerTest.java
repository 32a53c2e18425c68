package org.erasediff.core.unlearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EarlyStopTrackerTest {

    @Test
    void stopsAfterPatienceStepsWithoutImprovement() {
        EarlyStopTracker t = new EarlyStopTracker(
                new EarlyStopSettings(EarlyStopSettings.Metric.REMAIN_LOSS, 2, 0.1, 0.0));
        assertFalse(t.observe(1.0));   // best 1.0
        assertFalse(t.observe(0.85));  // improves by 0.15 > 0.1: best 0.85
        assertFalse(t.observe(0.8));   // only 0.05 better: 1 step without improvement
        assertEquals(1, t.stepsWithoutImprovement());
        assertTrue(t.observe(0.9));    // 2 steps: stop
    }

    @Test
    void smoothsTheObservedValues() {
        EarlyStopTracker t = new EarlyStopTracker(
                new EarlyStopSettings(EarlyStopSettings.Metric.FORGET_LOSS, 1, 0.0, 0.5));
        t.observe(1.0);
        assertEquals(1.0, t.smoothedValue());
        assertFalse(t.observe(0.0));   // smoothed 0.5
        assertEquals(0.5, t.smoothedValue());
        assertFalse(t.observe(0.2));   // smoothed 0.35
        assertEquals(0.35, t.smoothedValue(), 1e-15);
        assertTrue(t.observe(2.0));    // smoothed 1.175: no improvement
    }

    @Test
    void validatesSettingsAndValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EarlyStopSettings(EarlyStopSettings.Metric.REMAIN_LOSS, 0, 0.0, 0.9));
        assertEquals("earlyStop.patience must be >= 1, was 0", e.getMessage());
        EarlyStopTracker t = new EarlyStopTracker(EarlyStopSettings.on(EarlyStopSettings.Metric.REMAIN_LOSS));
        assertThrows(NonFiniteGradientException.class, () -> t.observe(Double.NaN));
    }
}
