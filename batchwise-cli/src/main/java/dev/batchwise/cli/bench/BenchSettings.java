package dev.batchwise.cli.bench;

import java.util.regex.Pattern;

/**
 * How the harness runs: untimed warm-up runs per case, timed runs per case, and which workloads.
 *
 * @param warmup untimed runs before timing, {@code >= 0}
 * @param runs timed runs, {@code >= 1} (the median is reported)
 * @param filter workloads whose id contains a match of this pattern run; {@code null} runs all
 */
public record BenchSettings(int warmup, int runs, Pattern filter) {
    /** The defaults of {@code batchwise bench}: 5 warm-up runs, 20 timed runs, every workload. */
    public static final BenchSettings DEFAULT = new BenchSettings(5, 20, null);

    /**
     * Checks the counts.
     *
     * @throws IllegalArgumentException if {@code warmup < 0} or {@code runs < 1}
     */
    public BenchSettings {
        if (warmup < 0) {
            throw new IllegalArgumentException("warm-up runs must be >= 0, got " + warmup);
        }
        if (runs < 1) {
            throw new IllegalArgumentException("timed runs must be >= 1, got " + runs);
        }
    }

    /** True when {@code workloadId} passes the filter. */
    public boolean selects(String workloadId) {
        return filter == null || filter.matcher(workloadId).find();
    }
}
