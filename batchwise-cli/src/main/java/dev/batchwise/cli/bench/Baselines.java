package dev.batchwise.cli.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Speed-ups against the baselines of the same workload and device: a baseline's median wall time
 * divided by the implementation's median wall time (above 1 means faster than the baseline).
 *
 * <p>A workload may time several baselines: "baseline" (our per-sample / per-object Java loop),
 * "scipy" (SciPy in a Python subprocess) and "pytorch" (the PyTorch loop users run today, in a
 * Python subprocess). The <em>primary</em> ratio, the one tables show first, is taken against the
 * first of {@link #NAMES} present; {@link #speedups} gives all of them.
 *
 * <p>Where both sides were also timed as a stream of back-to-back calls (on a GPU, see
 * {@link CudaClock}), {@link #streamSpeedup} gives the primary ratio of those times: a stream is
 * compared with a stream, a synchronised call with a synchronised call, never across.
 */
public final class Baselines {
    /** The implementations ratios are taken against, in order of preference for the primary one. */
    public static final List<String> NAMES = List.of("baseline", "scipy", "pytorch");

    private Baselines() {}

    /** The successful primary baseline result of {@code r}'s workload and device, if any. */
    public static Optional<BenchResult> baselineOf(List<BenchResult> results, BenchResult r) {
        for (String name : NAMES) {
            Optional<BenchResult> found = find(results, r, name);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** Primary baseline median / {@code r}'s median, or NaN when either is missing, failed or zero. */
    public static double speedup(List<BenchResult> results, BenchResult r) {
        return baselineOf(results, r).map(b -> ratio(b, r)).orElse(Double.NaN);
    }

    /**
     * The ratio against every successful baseline of {@code r}'s workload and device, keyed by the
     * baseline's implementation name in {@link #NAMES} order; empty when {@code r} failed.
     */
    public static Map<String, Double> speedups(List<BenchResult> results, BenchResult r) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : NAMES) {
            find(results, r, name).map(b -> ratio(b, r)).filter(x -> !Double.isNaN(x))
                    .ifPresent(x -> out.put(name, x));
        }
        return out;
    }

    /**
     * Primary baseline's median stream time / {@code r}'s, or NaN when either has none (the CPU,
     * self-timed baselines), failed or is zero.
     */
    public static double streamSpeedup(List<BenchResult> results, BenchResult r) {
        if (!r.ok() || r.streamTime() == null || r.streamTime().medianMs() <= 0) {
            return Double.NaN;
        }
        return baselineOf(results, r).filter(b -> b.streamTime() != null)
                .map(b -> b.streamTime().medianMs() / r.streamTime().medianMs()).orElse(Double.NaN);
    }

    private static double ratio(BenchResult baseline, BenchResult r) {
        if (!r.ok() || r.wall().medianMs() <= 0) {
            return Double.NaN;
        }
        return baseline.wall().medianMs() / r.wall().medianMs();
    }

    private static Optional<BenchResult> find(List<BenchResult> results, BenchResult r, String implementation) {
        return results.stream()
                .filter(b -> b.ok() && b.implementation().equals(implementation)
                        && b.workload().equals(r.workload()) && b.device().equals(r.device()))
                .findFirst();
    }
}
