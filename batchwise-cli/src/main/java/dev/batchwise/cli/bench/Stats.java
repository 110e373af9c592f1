package dev.batchwise.cli.bench;

import java.util.Arrays;

/**
 * Summary of one series of timings in milliseconds: median, minimum, maximum and count.
 *
 * <p>The median of an even number of samples is the mean of the two middle values.
 *
 * @param medianMs the median
 * @param minMs the smallest sample
 * @param maxMs the largest sample
 * @param runs the number of samples
 */
public record Stats(double medianMs, double minMs, double maxMs, int runs) {
    /**
     * Summarises {@code samplesMs} (not modified).
     *
     * @throws IllegalArgumentException if there are no samples or one is NaN or negative
     */
    public static Stats of(double[] samplesMs) {
        if (samplesMs == null || samplesMs.length == 0) {
            throw new IllegalArgumentException("timings must contain at least one sample, got none");
        }
        double[] sorted = samplesMs.clone();
        Arrays.sort(sorted);
        if (Double.isNaN(sorted[sorted.length - 1]) || sorted[0] < 0) {
            throw new IllegalArgumentException("timings must be non-negative numbers, got " + Arrays.toString(samplesMs));
        }
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        return new Stats(median, sorted[0], sorted[n - 1], n);
    }
}
