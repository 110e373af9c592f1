package dev.batchwise.cli.bench;

/**
 * The outcome of timing one implementation of one workload on one device.
 *
 * @param workload the workload id, e.g. {@code "W2-b"}
 * @param device {@code "cpu"} or {@code "cuda:0"}
 * @param implementation {@code "batchwise"}, {@code "baseline"}, …
 * @param wall wall time from the host call until the results are usable; {@code null} on error
 * @param deviceTime GPU time between CUDA events around each run; {@code null} on the CPU, for
 *     self-timed cases and on error
 * @param streamTime time per call with calls enqueued back to back and one synchronisation after
 *     the last (ACCV-Lab's timer, see {@link CudaClock}); {@code null} where not measured
 * @param bytesPerRun bytes one run moves (0 when not a bandwidth measurement)
 * @param itemsPerRun operations one run performs, e.g. kernel launches (1 when a run is one call)
 * @param error why the case failed, or {@code null}
 */
public record BenchResult(String workload, String device, String implementation, Stats wall, Stats deviceTime,
                          Stats streamTime, long bytesPerRun, long itemsPerRun, String error) {
    /** A successful measurement without a stream time. */
    public static BenchResult measured(String workload, String device, String implementation, Stats wall,
                                       Stats deviceTime, long bytesPerRun, long itemsPerRun) {
        return measured(workload, device, implementation, wall, deviceTime, null, bytesPerRun, itemsPerRun);
    }

    /** A successful measurement. */
    public static BenchResult measured(String workload, String device, String implementation, Stats wall,
                                       Stats deviceTime, Stats streamTime, long bytesPerRun, long itemsPerRun) {
        return new BenchResult(workload, device, implementation, wall, deviceTime, streamTime, bytesPerRun,
                itemsPerRun, null);
    }

    /** A failure: {@code error} explains it. */
    public static BenchResult failed(String workload, String device, String implementation, String error) {
        return new BenchResult(workload, device, implementation, null, null, null, 0, 1, error);
    }

    /** True when the case ran and was timed. */
    public boolean ok() {
        return error == null;
    }

    /** True for the implementations ratios are taken against ({@link Baselines#NAMES}). */
    public boolean isBaseline() {
        return Baselines.NAMES.contains(implementation);
    }

    /** Gigabytes (10^9 bytes) per second at the median wall time, or NaN when not applicable. */
    public double wallGbps() {
        return gbps(wall);
    }

    /** Gigabytes per second at the median device time, or NaN when not applicable. */
    public double deviceGbps() {
        return gbps(deviceTime);
    }

    /** Microseconds per item at the median wall time, or NaN when a run is a single item. */
    public double wallMicrosPerItem() {
        return itemsPerRun > 1 && wall != null ? wall.medianMs() * 1000.0 / itemsPerRun : Double.NaN;
    }

    /** Microseconds per item at the median device time, or NaN when not applicable. */
    public double deviceMicrosPerItem() {
        return itemsPerRun > 1 && deviceTime != null ? deviceTime.medianMs() * 1000.0 / itemsPerRun : Double.NaN;
    }

    private double gbps(Stats s) {
        if (bytesPerRun <= 0 || s == null || s.medianMs() <= 0) {
            return Double.NaN;
        }
        return bytesPerRun / (s.medianMs() * 1e-3) / 1e9;
    }
}
