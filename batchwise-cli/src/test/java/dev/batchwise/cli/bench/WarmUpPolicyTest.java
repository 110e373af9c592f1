package dev.batchwise.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.cli.bench.workloads.W1Workloads;
import dev.batchwise.tensor.Device;
import org.junit.jupiter.api.Test;

class WarmUpPolicyTest {
    private final WarmUpPolicy policy = new WarmUpPolicy(3, 100, 1_000, 2);

    @Test
    void waitsForTheMinimumRunsAndTime() {
        double[] t = {5, 5, 5, 5, 5, 5};
        assertFalse(policy.done(t, 2, 500), "fewer runs than the minimum");
        assertFalse(policy.done(t, 6, 50), "less time than the minimum");
        assertTrue(policy.done(t, 6, 500), "steady times after both minimums");
    }

    @Test
    void goesOnWhileTimesFallAndStopsAtTheCap() {
        double[] falling = {40, 38, 30, 28, 20, 18};
        assertFalse(policy.done(falling, 6, 500), "still getting faster: keep warming up");
        assertTrue(policy.done(falling, 6, 1_000), "the cap wins");
        double[] settled = {40, 38, 20, 19, 20, 19.5};
        assertTrue(policy.done(settled, 6, 500), "last window not faster than the one before");
    }

    @Test
    void exactCountsWithoutTimeFloors() {
        WarmUpPolicy exact = new BenchSettings(4, 2, null).warmUpPolicy();
        double[] t = new double[8];
        assertFalse(exact.done(t, 3, 1e9));
        assertTrue(exact.done(t, 4, 0));
    }

    @Test
    void aWorkloadsLeastWarmUpRaisesTheSettingButNeverSwitchesItOn() {
        assertEquals(10_000, BenchSettings.DEFAULT.warmUpPolicy(10_000).minMillis());
        assertEquals(2_000, BenchSettings.DEFAULT.warmUpPolicy(500).minMillis());
        assertEquals(2_000, BenchSettings.DEFAULT.warmUpPolicy().minMillis());
        assertEquals(0, new BenchSettings(4, 2, null).warmUpPolicy(10_000).minMillis());
        assertEquals(10_000, new W1Workloads().minWarmUpMillis(Device.CPU));
    }

    @Test
    void countsRunsApartFromTheBufferedTimes() {
        double[] t = {5, 5, 5, 5};
        assertFalse(policy.done(t, 4, 2, 500), "a full buffer but fewer runs than the minimum");
        assertTrue(policy.done(t, 4, 50_000, 500), "more runs than the buffer holds");
    }

    @Test
    void rejectsNegativeLimits() {
        assertThrows(IllegalArgumentException.class, () -> new WarmUpPolicy(-1, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new WarmUpPolicy(0, 0, 0, 0));
    }
}
