package dev.batchwise.cli.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void oddCountTakesTheMiddleValue() {
        Stats s = Stats.of(new double[] {5, 1, 4, 2, 3});
        assertEquals(new Stats(3, 1, 5, 5), s);
    }

    @Test
    void evenCountAveragesTheTwoMiddleValues() {
        Stats s = Stats.of(new double[] {10, 2, 8, 4});
        assertEquals(new Stats(6, 2, 10, 4), s);
    }

    @Test
    void singleSampleIsMedianMinAndMax() {
        assertEquals(new Stats(0.25, 0.25, 0.25, 1), Stats.of(new double[] {0.25}));
    }

    @Test
    void inputIsNotReordered() {
        double[] samples = {3, 1, 2};
        Stats.of(samples);
        assertArrayEquals(new double[] {3, 1, 2}, samples);
    }

    @Test
    void rejectsEmptyNegativeAndNaN() {
        assertThrows(IllegalArgumentException.class, () -> Stats.of(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> Stats.of(new double[] {1, -0.5}));
        assertThrows(IllegalArgumentException.class, () -> Stats.of(new double[] {1, Double.NaN}));
    }
}
