package dev.batchwise.cli.bench;

import dev.batchwise.tensor.Device;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs workloads on devices and times every case: warm-up runs first, then the timed runs, each
 * through the device's {@link RunClock}. A workload or case that throws becomes a failed
 * {@link BenchResult} carrying the error, and the harness goes on with the next one.
 */
public final class BenchHarness {
    /** Opens the clock for a device (may fail, e.g. when CUDA is unusable). */
    @FunctionalInterface
    public interface ClockFactory {
        /** A clock timing runs on {@code device}. */
        RunClock open(Device device) throws Exception;
    }

    private final BenchSettings settings;
    private final ClockFactory clocks;
    private final PrintWriter progress;

    /**
     * A harness.
     *
     * @param settings warm-up, runs and filter
     * @param clocks the clock per device (normally {@link RunClocks#forDevice})
     * @param progress where a progress line per workload and device goes (stderr in the CLI)
     */
    public BenchHarness(BenchSettings settings, ClockFactory clocks, PrintWriter progress) {
        this.settings = settings;
        this.clocks = clocks;
        this.progress = progress;
    }

    /** Times every selected workload on every device, in order; one result per case. */
    public List<BenchResult> run(List<Workload> workloads, List<Device> devices) {
        List<BenchResult> results = new ArrayList<>();
        for (Workload w : workloads) {
            if (!settings.selects(w.id())) {
                continue;
            }
            for (Device d : devices) {
                long t0 = System.nanoTime();
                progress.printf(Locale.ROOT, "bench: %s on %s (%s) ...", w.id(), d, w.description());
                progress.flush();
                List<BenchResult> got = runOn(w, d);
                long failed = got.stream().filter(r -> !r.ok()).count();
                if (got.isEmpty()) {
                    progress.println(" not applicable");
                } else {
                    progress.printf(Locale.ROOT, " %d case(s)%s, %.1f s%n", got.size(),
                            failed > 0 ? ", " + failed + " failed" : "", (System.nanoTime() - t0) / 1e9);
                }
                results.addAll(got);
            }
        }
        return results;
    }

    /** Times every case of {@code w} on {@code d}; closes each case. */
    List<BenchResult> runOn(Workload w, Device d) {
        List<BenchResult> out = new ArrayList<>();
        List<BenchCase> cases;
        try {
            cases = w.cases(d);
        } catch (Exception | Error e) {
            rethrowFatal(e);
            out.add(BenchResult.failed(w.id(), d.toString(), "(setup)", describe(e)));
            return out;
        }
        try (RunClock clock = clocks.open(d)) {
            for (BenchCase c : cases) {
                out.add(measureSafely(w, d, c, clock));
            }
        } catch (Exception | Error e) {
            rethrowFatal(e);
            out.add(BenchResult.failed(w.id(), d.toString(), "(clock)", describe(e)));
        } finally {
            for (BenchCase c : cases) {
                close(w, d, c);
            }
        }
        return out;
    }

    private BenchResult measureSafely(Workload w, Device d, BenchCase c, RunClock clock) {
        try {
            return measure(w.id(), d.toString(), c, clock, settings.warmUpPolicy(w.minWarmUpMillis(d)));
        } catch (Exception | Error e) {
            rethrowFatal(e);
            return BenchResult.failed(w.id(), d.toString(), c.implementation(), describe(e));
        }
    }

    private static final int MAX_WARMUP_RUNS = 20_000;
    private static final int MAX_TIMED_RUNS = 2_000;

    private static double elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    /** Warm-up, then the timed runs (or the case's own timings when it times itself). */
    BenchResult measure(String workload, String device, BenchCase c, RunClock clock) throws Exception {
        return measure(workload, device, c, clock, settings.warmUpPolicy());
    }

    /** {@link #measure(String, String, BenchCase, RunClock)} with the given warm-up policy. */
    BenchResult measure(String workload, String device, BenchCase c, RunClock clock, WarmUpPolicy policy)
            throws Exception {
        double[] external = c.externalTimesMs();
        if (external != null) {
            return BenchResult.measured(workload, device, c.implementation(), Stats.of(external), null,
                    c.bytesPerRun(), c.itemsPerRun());
        }
        double[] warm = new double[MAX_WARMUP_RUNS];
        long start = System.nanoTime();
        // Runs until the policy is satisfied, however many runs that takes: a microsecond-scale op
        // needs far more than MAX_WARMUP_RUNS runs to fill the minimum warm-up time (a 5 us op: 20k
        // runs are 0.1 s of the 2 s default, before C2 has compiled it on a small machine). The
        // buffer keeps the latest times; the policy reads only the last two windows.
        int keep = 2 * policy.window();
        int buffered = 0;
        for (long runs = 0; !policy.done(warm, buffered, runs, elapsedMs(start)); runs++) {
            if (buffered == warm.length) {
                System.arraycopy(warm, buffered - keep, warm, 0, keep);
                buffered = keep;
            }
            warm[buffered++] = clock.time(c).wallMs();
        }
        double[] wall = new double[MAX_TIMED_RUNS];
        double[] dev = new double[MAX_TIMED_RUNS];
        double[] stream = new double[MAX_TIMED_RUNS];
        int n = 0;
        start = System.nanoTime();
        while (n < settings.runs() || (n < MAX_TIMED_RUNS && elapsedMs(start) < settings.minTimedMillis())) {
            RunClock.Sample s = clock.time(c);
            wall[n] = s.wallMs();
            dev[n] = s.deviceMs();
            stream[n] = s.streamMs();
            n++;
        }
        wall = java.util.Arrays.copyOf(wall, n);
        dev = java.util.Arrays.copyOf(dev, n);
        Stats deviceStats = clock.measuresDeviceTime() ? Stats.of(dev) : null;
        Stats streamStats = clock.measuresStreamTime() ? Stats.of(java.util.Arrays.copyOf(stream, n)) : null;
        return BenchResult.measured(workload, device, c.implementation(), Stats.of(wall), deviceStats, streamStats,
                c.bytesPerRun(), c.itemsPerRun());
    }

    /** {@code "IllegalStateException: message"} (message of the cause chain's root when absent). */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        String msg = t.getMessage();
        return t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    private static void rethrowFatal(Throwable e) {
        if (e instanceof VirtualMachineError && !(e instanceof OutOfMemoryError)) {
            throw (VirtualMachineError) e;
        }
    }

    /** Closes a case; a failure is reported on the progress stream, not thrown over the results. */
    private void close(Workload w, Device d, BenchCase c) {
        try {
            c.close();
        } catch (Exception e) {
            progress.printf(Locale.ROOT, "%nbench: closing %s/%s on %s failed: %s%n", w.id(), c.implementation(), d,
                    describe(e));
        }
    }
}
