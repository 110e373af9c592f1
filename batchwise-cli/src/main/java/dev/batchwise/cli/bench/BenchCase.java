package dev.batchwise.cli.bench;

/** One implementation of a workload on one device: what the harness calls and times. */
public interface BenchCase extends AutoCloseable {
    /** A body that may throw. */
    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** "batchwise", "baseline", "scipy", "pytorch", … — ratios are taken against {@link Baselines#NAMES}. */
    String implementation();

    /**
     * One complete call. On return the results must be usable on the host, or enqueued on the
     * device's current stream (the harness synchronises that stream before stopping the clock).
     */
    void run() throws Exception;

    /**
     * For baselines that time themselves (e.g. SciPy in a Python subprocess): their per-run times
     * in milliseconds. {@code null} (the default) lets the harness time {@link #run()}.
     */
    default double[] externalTimesMs() throws Exception {
        return null;
    }

    /**
     * Bytes one {@link #run()} moves, for bandwidth workloads (reported as GB/s); 0, the default,
     * when a run is not a bandwidth measurement.
     */
    default long bytesPerRun() {
        return 0;
    }

    /**
     * Operations one {@link #run()} performs (e.g. 10,000 kernel launches), for workloads reported
     * per operation in microseconds; 1, the default, when a run is a single call.
     */
    default long itemsPerRun() {
        return 1;
    }

    /** This case, reporting {@code bytes} per run for GB/s (closing it closes this case). */
    default BenchCase withBytesPerRun(long bytes) {
        return new RatedCase(this, bytes, itemsPerRun());
    }

    /** This case, reporting per-item times for {@code items} operations per run. */
    default BenchCase withItemsPerRun(long items) {
        return new RatedCase(this, bytesPerRun(), items);
    }

    /** Frees the inputs. */
    @Override
    default void close() throws Exception {}

    /** A case named {@code implementation} that runs {@code body}. */
    static BenchCase of(String implementation, ThrowingRunnable body) {
        return new BenchCase() {
            @Override
            public String implementation() {
                return implementation;
            }

            @Override
            public void run() throws Exception {
                body.run();
            }
        };
    }

    /** Like {@link #of} with a cleanup action run by {@link #close()}. */
    static BenchCase of(String implementation, ThrowingRunnable body, AutoCloseable cleanup) {
        return new BenchCase() {
            @Override
            public String implementation() {
                return implementation;
            }

            @Override
            public void run() throws Exception {
                body.run();
            }

            @Override
            public void close() throws Exception {
                cleanup.close();
            }
        };
    }
}
