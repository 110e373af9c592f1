package dev.batchwise.cli.bench;

/**
 * Times single runs of a case on one device. The CPU clock measures wall time; the CUDA clock
 * synchronises the device's current stream before stopping the wall clock, so wall time covers the
 * host call until the results are usable; it also measures device time (CUDA events) and the time
 * per call in a stream of back-to-back calls (see {@link CudaClock}).
 */
public interface RunClock extends AutoCloseable {
    /**
     * One timed sample.
     *
     * @param wallMs milliseconds from the host call until the results are usable on the host
     * @param deviceMs milliseconds between CUDA events around a run; NaN where there is no device clock
     * @param streamMs milliseconds per call when {@link CudaClock#STREAM_CALLS} calls are enqueued back
     *     to back and the stream is synchronised once after the last; NaN where not measured
     */
    record Sample(double wallMs, double deviceMs, double streamMs) {
        /** A sample without a stream measurement. */
        public Sample(double wallMs, double deviceMs) {
            this(wallMs, deviceMs, Double.NaN);
        }
    }

    /** Runs {@code benchCase} once and returns its times. */
    Sample time(BenchCase benchCase) throws Exception;

    /** True when {@link Sample#deviceMs()} is measured. */
    boolean measuresDeviceTime();

    /** True when {@link Sample#streamMs()} is measured; false unless a clock says so. */
    default boolean measuresStreamTime() {
        return false;
    }

    /** Frees what the clock holds (events). */
    @Override
    default void close() throws Exception {}

    /** The wall clock for CPU work: {@link System#nanoTime()} around {@link BenchCase#run()}. */
    static RunClock wall() {
        return new RunClock() {
            @Override
            public Sample time(BenchCase benchCase) throws Exception {
                long t0 = System.nanoTime();
                benchCase.run();
                long t1 = System.nanoTime();
                return new Sample((t1 - t0) / 1e6, Double.NaN);
            }

            @Override
            public boolean measuresDeviceTime() {
                return false;
            }
        };
    }
}
