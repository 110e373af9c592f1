package dev.batchwise.cli.bench;

/**
 * Times single runs of a case on one device. The CPU clock measures wall time; the CUDA clock
 * also records events around the run on the device's current stream and synchronises that stream
 * before stopping the wall clock, so wall time covers the host call until the results are usable.
 */
public interface RunClock extends AutoCloseable {
    /** One timed run: wall milliseconds and device milliseconds (NaN where there is no device clock). */
    record Sample(double wallMs, double deviceMs) {}

    /** Runs {@code benchCase} once and returns its times. */
    Sample time(BenchCase benchCase) throws Exception;

    /** True when {@link Sample#deviceMs()} is measured. */
    boolean measuresDeviceTime();

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
