package dev.batchwise.cli.bench;

import java.util.regex.Pattern;

/**
 * How the harness runs: untimed warm-up runs per case, timed runs per case, and which workloads.
 *
 * @param warmup untimed runs before timing, {@code >= 0}
 * @param runs timed runs, {@code >= 1} (the median is reported)
 * @param filter workloads whose id contains a match of this pattern run; {@code null} runs all
 * @param warmupMillis warm-up also goes on until this much time has passed, so that the JIT has
 *     compiled the hot paths of microsecond-scale operations before timing, and after that until
 *     the run times stop falling (see {@link WarmUpPolicy}; at most 10 s and 20,000 runs)
 * @param minTimedMillis timed runs go on past {@code runs} until this much time has passed (at most
 *     2,000 runs), so that fast cases get a stable median
 */
public record BenchSettings(int warmup, int runs, Pattern filter, long warmupMillis, long minTimedMillis) {
    /** The defaults of {@code batchwise bench}: at least 5 warm-up runs and 2 s, 20 timed runs and 200 ms, every workload. */
    public static final BenchSettings DEFAULT = new BenchSettings(5, 20, null, 2000, 200);

    /** Exactly {@code warmup} and {@code runs} runs (no time floors). */
    public BenchSettings(int warmup, int runs, Pattern filter) {
        this(warmup, runs, filter, 0, 0);
    }

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
        if (warmupMillis < 0 || minTimedMillis < 0) {
            throw new IllegalArgumentException("time floors must be >= 0, got " + warmupMillis + " and " + minTimedMillis);
        }
    }

    /** Longest warm-up per case when run times keep falling. */
    static final long MAX_WARMUP_MILLIS = 10_000;

    /** The warm-up rule these settings describe (exact counts when both time floors are 0). */
    public WarmUpPolicy warmUpPolicy() {
        return warmUpPolicy(0);
    }

    /**
     * The warm-up policy for a workload that needs at least {@code workloadMillis} of warm-up
     * ({@link Workload#minWarmUpMillis}): the larger of that and {@code --warmup-ms}, except when
     * the settings switch timing-based warm-up off (both millisecond limits 0, as tests do).
     */
    public WarmUpPolicy warmUpPolicy(long workloadMillis) {
        if (warmupMillis == 0 && minTimedMillis == 0) {
            return new WarmUpPolicy(warmup, 0, 0, 1);
        }
        long least = Math.max(warmupMillis, workloadMillis);
        return new WarmUpPolicy(warmup, least, Math.max(least, MAX_WARMUP_MILLIS), 10);
    }

    /** True when {@code workloadId} passes the filter. */
    public boolean selects(String workloadId) {
        return filter == null || filter.matcher(workloadId).find();
    }
}
