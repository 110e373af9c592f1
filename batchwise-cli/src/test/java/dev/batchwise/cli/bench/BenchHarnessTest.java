package dev.batchwise.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.tensor.Device;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BenchHarnessTest {
    private final StringWriter progress = new StringWriter();

    /** A clock whose n-th call returns wall time n ms and device time 10·n ms, running the case. */
    private static final class CountingClock implements RunClock {
        int calls;
        boolean closed;

        @Override
        public Sample time(BenchCase benchCase) throws Exception {
            benchCase.run();
            calls++;
            return new Sample(calls, 10.0 * calls);
        }

        @Override
        public boolean measuresDeviceTime() {
            return true;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static Workload workload(String id, ThrowingCases cases) {
        return new Workload() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String description() {
                return "test workload " + id;
            }

            @Override
            public List<BenchCase> cases(Device device) throws Exception {
                return cases.get();
            }
        };
    }

    @FunctionalInterface
    private interface ThrowingCases {
        List<BenchCase> get() throws Exception;
    }

    private BenchHarness harness(int warmup, int runs, String filter, RunClock clock) {
        BenchSettings s = new BenchSettings(warmup, runs, filter == null ? null : Pattern.compile(filter));
        return new BenchHarness(s, d -> clock, new PrintWriter(progress, true));
    }

    @Test
    void warmUpOfAFastCaseLastsItsMinimumTimeBeyondTheRunBuffer() {
        AtomicInteger calls = new AtomicInteger();
        RunClock wall = RunClock.wall();
        BenchSettings s = new BenchSettings(5, 1, null, 300, 0);
        List<BenchResult> r = new BenchHarness(s, d -> wall, new PrintWriter(progress, true)).run(
                List.of(workload("X", () -> List.of(BenchCase.of("batchwise", calls::incrementAndGet)))),
                List.of(Device.CPU));
        assertEquals(1, r.size());
        // a no-op runs far more than 20,000 times in 300 ms; the warm-up must not stop at the buffer size
        assertTrue(calls.get() > 20_001, "warm-up runs: " + calls.get());
    }

    @Test
    void warmupRunsAreDiscardedAndTimedRunsSummarised() {
        AtomicInteger calls = new AtomicInteger();
        CountingClock clock = new CountingClock();
        List<BenchResult> r = harness(2, 3, null, clock).run(
                List.of(workload("X", () -> List.of(BenchCase.of("batchwise", calls::incrementAndGet)))),
                List.of(Device.CPU));
        assertEquals(1, r.size());
        assertEquals(5, calls.get());
        assertEquals(new Stats(4, 3, 5, 3), r.get(0).wall());
        assertEquals(new Stats(40, 30, 50, 3), r.get(0).deviceTime());
        assertEquals("cpu", r.get(0).device());
        assertTrue(clock.closed);
    }

    @Test
    void failingCaseIsReportedAndTheOthersStillRun() {
        AtomicInteger closed = new AtomicInteger();
        BenchCase boom = BenchCase.of("batchwise", () -> {
            throw new IllegalStateException("kernel exploded");
        }, closed::incrementAndGet);
        BenchCase fine = BenchCase.of("baseline", () -> {}, closed::incrementAndGet);
        List<BenchResult> r = harness(1, 2, null, new CountingClock()).run(
                List.of(workload("X", () -> List.of(boom, fine)),
                        workload("Y", () -> {
                            throw new UnsupportedOperationException("no inputs");
                        }),
                        workload("Z", () -> List.of(BenchCase.of("baseline", () -> {})))),
                List.of(Device.CPU));
        assertEquals(4, r.size());
        assertFalse(r.get(0).ok());
        assertEquals("IllegalStateException: kernel exploded", r.get(0).error());
        assertTrue(r.get(1).ok());
        assertEquals("Y", r.get(2).workload());
        assertEquals("UnsupportedOperationException: no inputs", r.get(2).error());
        assertTrue(r.get(3).ok());
        assertEquals(2, closed.get());
        assertTrue(progress.toString().contains("bench: Y on cpu"), progress.toString());
    }

    @Test
    void selfTimedCasesAreNotRunByTheHarness() {
        AtomicInteger calls = new AtomicInteger();
        BenchCase external = new BenchCase() {
            @Override
            public String implementation() {
                return "scipy";
            }

            @Override
            public void run() {
                calls.incrementAndGet();
            }

            @Override
            public double[] externalTimesMs() {
                return new double[] {7, 9, 8};
            }
        };
        List<BenchResult> r = harness(3, 4, null, new CountingClock())
                .run(List.of(workload("X", () -> List.of(external))), List.of(Device.CPU));
        assertEquals(0, calls.get());
        assertEquals(new Stats(8, 7, 9, 3), r.get(0).wall());
        assertNull(r.get(0).deviceTime());
    }

    @Test
    void filterSelectsWorkloadsByIdAndEmptyCaseListsAreSkipped() {
        List<BenchResult> r = harness(0, 1, "^W2", new CountingClock()).run(
                List.of(workload("W1-3d", () -> List.of(BenchCase.of("batchwise", () -> {}))),
                        workload("W2-b", () -> List.of(BenchCase.of("batchwise", () -> {}))),
                        workload("W2-c", List::of)),
                List.of(Device.CPU));
        assertEquals(1, r.size());
        assertEquals("W2-b", r.get(0).workload());
    }

    @Test
    void unusableClockFailsTheDeviceButClosesTheCases() {
        AtomicInteger closed = new AtomicInteger();
        BenchHarness h = new BenchHarness(new BenchSettings(0, 1, null), d -> {
            throw new IllegalStateException("no GPU");
        }, new PrintWriter(progress, true));
        List<BenchResult> r = h.run(List.of(workload("X",
                () -> List.of(BenchCase.of("batchwise", () -> {}, closed::incrementAndGet)))), List.of(Device.CPU));
        assertEquals(1, r.size());
        assertEquals("IllegalStateException: no GPU", r.get(0).error());
        assertEquals(1, closed.get());
    }

    @Test
    void bytesAndItemsPerRunBecomeRates() {
        List<BenchResult> r = harness(0, 1, null, new CountingClock()).run(
                List.of(workload("X", () -> List.of(
                        BenchCase.of("copy", () -> {}).withBytesPerRun(2_000_000),
                        BenchCase.of("launch", () -> {}).withItemsPerRun(1000)))),
                List.of(Device.CPU));
        // wall 1 ms → 2 GB/s; device 10 ms → 0.2 GB/s
        assertEquals(2.0, r.get(0).wallGbps(), 1e-12);
        assertEquals(0.2, r.get(0).deviceGbps(), 1e-12);
        // wall 2 ms for 1000 items → 2 µs each
        assertEquals(2.0, r.get(1).wallMicrosPerItem(), 1e-12);
        assertTrue(Double.isNaN(r.get(1).wallGbps()));
    }

    /** A clock that also measures stream time: wall n, device 10·n, stream n / 4 ms on the n-th call. */
    private static final class StreamingClock implements RunClock {
        int calls;

        @Override
        public Sample time(BenchCase benchCase) throws Exception {
            benchCase.run();
            calls++;
            return new Sample(calls, 10.0 * calls, calls / 4.0);
        }

        @Override
        public boolean measuresDeviceTime() {
            return true;
        }

        @Override
        public boolean measuresStreamTime() {
            return true;
        }
    }

    @Test
    void streamTimesAreSummarisedWhenTheClockMeasuresThem() {
        List<BenchResult> r = harness(1, 3, null, new StreamingClock()).run(
                List.of(workload("X", () -> List.of(BenchCase.of("batchwise", () -> {})))), List.of(Device.CPU));
        // calls 2..4 are timed: stream 0.5, 0.75, 1.0
        assertEquals(new Stats(0.75, 0.5, 1.0, 3), r.get(0).streamTime());
        assertEquals(new Stats(3, 2, 4, 3), r.get(0).wall());
    }

    @Test
    void clocksWithoutAStreamMeasurementLeaveItOut() {
        List<BenchResult> r = harness(0, 2, null, new CountingClock()).run(
                List.of(workload("X", () -> List.of(BenchCase.of("batchwise", () -> {})))), List.of(Device.CPU));
        assertNull(r.get(0).streamTime());
        assertFalse(RunClock.wall().measuresStreamTime());
        assertTrue(Double.isNaN(new RunClock.Sample(1, 2).streamMs()));
    }
}
