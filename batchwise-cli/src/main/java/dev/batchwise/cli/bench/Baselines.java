package dev.batchwise.cli.bench;

import java.util.List;
import java.util.Optional;

/**
 * Speed-ups against the baseline of the same workload and device: baseline median wall time
 * divided by the implementation's median wall time (above 1 means faster than the baseline).
 * The baseline is the implementation named "baseline", or else "scipy".
 */
public final class Baselines {
    private Baselines() {}

    /** The successful baseline result of {@code r}'s workload and device, if any. */
    public static Optional<BenchResult> baselineOf(List<BenchResult> results, BenchResult r) {
        Optional<BenchResult> named = find(results, r, "baseline");
        return named.isPresent() ? named : find(results, r, "scipy");
    }

    /** Baseline median / {@code r}'s median, or NaN when either is missing, failed or zero. */
    public static double speedup(List<BenchResult> results, BenchResult r) {
        if (!r.ok()) {
            return Double.NaN;
        }
        return baselineOf(results, r)
                .filter(b -> r.wall().medianMs() > 0)
                .map(b -> b.wall().medianMs() / r.wall().medianMs())
                .orElse(Double.NaN);
    }

    private static Optional<BenchResult> find(List<BenchResult> results, BenchResult r, String implementation) {
        return results.stream()
                .filter(b -> b.ok() && b.implementation().equals(implementation)
                        && b.workload().equals(r.workload()) && b.device().equals(r.device()))
                .findFirst();
    }
}
