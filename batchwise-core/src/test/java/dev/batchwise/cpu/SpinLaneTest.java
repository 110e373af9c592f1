package dev.batchwise.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/**
 * The low-latency path of {@link CpuPool} ({@link SpinLane}): results, exceptions, nesting,
 * concurrent callers, a lane that never spins, and helpers that park when idle. Nothing here
 * passes or fails on timing except generous timeouts against hangs.
 */
class SpinLaneTest {
    private static final Duration HANG = Duration.ofSeconds(60);

    /** The serial result of {@link #value}: what every parallel run must produce. */
    private static long[] serial(int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = value(i);
        }
        return out;
    }

    private static long value(int i) {
        return (long) i * 2_654_435_761L ^ (i >>> 3);
    }

    @Test
    void resultsMatchASerialLoopForManySizesAndGrains() {
        for (int n : new int[] {1, 2, 3, 4, 5, 17, 63, 64, 65, 127, 128, 129, 1000, 4096, 100_003}) {
            long[] expected = serial(n);
            for (int grain : new int[] {1, 2, 3, 7, 64, 500, n - 1, n, n + 1}) {
                for (int round = 0; round < 3; round++) {
                    long[] out = new long[n]; // plain writes: the caller must see every one
                    CpuPool.parallelForShort(n, grain, i -> out[i] = value(i));
                    assertArrayEquals(expected, out, "lane: n=" + n + ", grain=" + grain);
                    long[] viaPool = new long[n];
                    CpuPool.parallelFor(n, grain, i -> viaPool[i] = value(i));
                    assertArrayEquals(expected, viaPool, "fork/join: n=" + n + ", grain=" + grain);
                }
            }
        }
    }

    /** Many tiny loops back to back, as the ragged kernels run them: no item lost or run twice. */
    @Test
    void manyTinyLoopsBackToBack() {
        int[] out = new int[2];
        for (int round = 1; round <= 200_000; round++) {
            int r = round;
            CpuPool.parallelForShort(2, 1, i -> out[i] = r);
            if (out[0] != r || out[1] != r) {
                fail("round " + r + " saw " + out[0] + ", " + out[1]);
            }
        }
    }

    /**
     * Item 0 throws; every other item first waits until it has. The exception comes back to the
     * caller, and the chunks nobody had claimed yet are skipped. (Other items take 20 µs each, so
     * running all of them before the failing thread records its failure would take the other
     * thread 40 ms of the failing one being descheduled between two instructions.)
     */
    @Test
    void anExceptionPropagatesAndLaterChunksAreSkipped() {
        assertTimeoutPreemptively(HANG, () -> {
            for (int round = 0; round < 20; round++) {
                int n = 2_000;
                CountDownLatch thrown = new CountDownLatch(1);
                AtomicInteger ran = new AtomicInteger();
                IllegalStateException boom = new IllegalStateException("boom " + round);
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> CpuPool.parallelForShort(n, 1, i -> {
                    if (i == 0) {
                        thrown.countDown();
                        throw boom;
                    }
                    awaitQuietly(thrown);
                    ran.incrementAndGet();
                    long until = System.nanoTime() + 20_000;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }));
                assertTrue(e == boom || e.getCause() == boom, "the item's exception comes back: " + e);
                assertTrue(ran.get() < n - 1, "chunks after the failure are skipped: " + ran.get() + " items ran");
            }
            long[] out = new long[300];
            CpuPool.parallelForShort(300, 1, i -> out[i] = value(i));
            assertArrayEquals(serial(300), out, "the pool still works after failed loops");
        });
    }

    /**
     * A failure on a helper thread (not the caller) comes back to the caller too: the caller's
     * items wait until another thread has entered the loop (it was woken and chunks are left), and
     * that thread's items throw.
     */
    @Test
    void aHelpersExceptionIsRethrownOnTheCaller() {
        assertTimeoutPreemptively(HANG, () -> {
            Thread caller = Thread.currentThread();
            for (int round = 0; round < 50; round++) {
                CountDownLatch helperIn = new CountDownLatch(1);
                RuntimeException boom = new RuntimeException("helper " + round);
                RuntimeException e = assertThrows(RuntimeException.class, () -> CpuPool.parallelForShort(64, 1, i -> {
                    if (Thread.currentThread() != caller) {
                        helperIn.countDown();
                        throw boom;
                    }
                    awaitQuietly(helperIn);
                }));
                assertTrue(e == boom || e.getCause() == boom, "the helper's exception comes back: " + e);
            }
        });
    }

    @Test
    void nestedParallelForInsideABodyWorks() {
        assertTimeoutPreemptively(HANG, () -> {
            for (int round = 0; round < 50; round++) {
                int outer = 1 + round % 9;
                int inner = 1 + (round * 37) % 300;
                long[][] out = new long[outer][inner];
                CpuPool.parallelForShort(outer, 1, o -> CpuPool.parallelForShort(inner, 1, i -> out[o][i] = value(o * 1000 + i)));
                for (int o = 0; o < outer; o++) {
                    for (int i = 0; i < inner; i++) {
                        assertEquals(value(o * 1000 + i), out[o][i], "outer " + o + ", inner " + i);
                    }
                }
            }
        });
    }

    /** An inner loop of a lane loop runs on the thread of its outer item: never more threads than cores. */
    @Test
    void nestedLoopsNeverRunOnMoreThreadsThanTheParallelism() {
        assertTimeoutPreemptively(HANG, () -> {
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            IntConsumer leaf = i -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                long until = System.nanoTime() + 5_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                running.decrementAndGet();
            };
            for (int round = 0; round < 50; round++) {
                CpuPool.parallelForShort(8, 1, o -> CpuPool.parallelForShort(16, 1, leaf));
            }
            assertTrue(most.get() <= CpuPool.parallelism(),
                    "at most " + CpuPool.parallelism() + " threads at once, saw " + most.get());
        });
    }

    /** Several threads start loops at once (some find the lane busy and use the fork/join pool). */
    @Test
    void concurrentCallersAllGetCorrectResults() throws Exception {
        assertTimeoutPreemptively(HANG, () -> {
            int threads = 6;
            CountDownLatch start = new CountDownLatch(1);
            AtomicReference<Throwable> error = new AtomicReference<>();
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread c = new Thread(() -> {
                    try {
                        start.await();
                        for (int round = 0; round < 400; round++) {
                            int n = 1 + (round * 31 + id * 7) % 700;
                            int grain = 1 + round % 5;
                            long[] out = new long[n];
                            if (round % 10 == 0) { // some nested loops too
                                CpuPool.parallelForShort(n, grain, i -> CpuPool.parallelForShort(1 + i % 3, 1, k -> {
                                    if (k == 0) {
                                        out[i] = value(i + id);
                                    }
                                }));
                            } else {
                                CpuPool.parallelForShort(n, grain, i -> out[i] = value(i + id));
                            }
                            for (int i = 0; i < n; i++) {
                                if (out[i] != value(i + id)) {
                                    throw new AssertionError("caller " + id + ", round " + round + ", item " + i);
                                }
                            }
                        }
                    } catch (Throwable e) {
                        error.compareAndSet(null, e);
                    }
                }, "spin-lane-test-caller-" + t);
                callers.add(c);
                c.start();
            }
            start.countDown();
            for (Thread c : callers) {
                c.join();
            }
            if (error.get() != null) {
                throw new AssertionError("a caller failed", error.get());
            }
        });
    }

    /** A lane whose helpers never spin (spinMicros 0): every loop wakes a parked helper. */
    @Test
    void aLaneThatNeverSpinsStillWorks() {
        SpinLane lane = new SpinLane(Math.max(1, CpuPool.parallelism() - 1), 0, "spin-lane-test-nospin-");
        try {
            assertTimeoutPreemptively(HANG, () -> {
                for (int n : new int[] {2, 3, 10, 129, 5000}) {
                    for (int grain : new int[] {1, 4, 100}) {
                        if (n <= grain) {
                            continue;
                        }
                        for (int round = 0; round < 200; round++) {
                            long[] out = new long[n];
                            assertSame(SpinLane.Outcome.RAN, lane.tryRun(n, grain, i -> out[i] = value(i)));
                            assertArrayEquals(serial(n), out, "n=" + n + ", grain=" + grain);
                        }
                    }
                }
            });
        } finally {
            stop(lane);
        }
    }

    /**
     * A lane whose helpers park 5 µs after each loop, with pauses of 0-60 µs between loops: many
     * loops are published just as a helper decides to park (it may then miss that loop, never
     * an item).
     */
    @Test
    void loopsPublishedWhileHelpersParkAllRun() {
        SpinLane lane = new SpinLane(Math.max(1, CpuPool.parallelism() - 1), 5, "spin-lane-test-edge-");
        try {
            assertTimeoutPreemptively(HANG, () -> {
                java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
                for (int round = 0; round < 20_000; round++) {
                    int n = 2 + rnd.nextInt(40);
                    long[] out = new long[n];
                    assertSame(SpinLane.Outcome.RAN, lane.tryRun(n, 1 + rnd.nextInt(3), i -> out[i] = value(i)));
                    for (int i = 0; i < n; i++) {
                        if (out[i] != value(i)) {
                            fail("round " + round + ", item " + i);
                        }
                    }
                    long pause = rnd.nextInt(60_000);
                    long until = System.nanoTime() + pause;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }
            });
        } finally {
            stop(lane);
        }
    }

    /** The loop of a private lane runs, helpers included; a loop started from inside it is NESTED. */
    @Test
    void aPrivateLaneReportsNestingInsteadOfWaiting() {
        SpinLane lane = new SpinLane(1, 50, "spin-lane-test-nested-");
        try {
            assertTimeoutPreemptively(HANG, () -> {
                Set<SpinLane.Outcome> inner = ConcurrentHashMap.newKeySet();
                assertSame(SpinLane.Outcome.RAN, lane.tryRun(64, 1, i -> inner.add(lane.tryRun(4, 1, k -> { }))));
                assertEquals(Set.of(SpinLane.Outcome.NESTED), inner);
            });
        } finally {
            stop(lane);
        }
    }

    /**
     * A lane with more helpers than a loop has chunks (a 16-core machine running a 3-chunk
     * combine): every item runs once, on at most as many threads as there are chunks.
     */
    @Test
    void loopsWithFewerChunksThanHelpersRunEveryItemOnce() {
        SpinLane lane = new SpinLane(8, 1_000, "spin-lane-test-seats-");
        try {
            assertTimeoutPreemptively(HANG, () -> {
                for (int round = 0; round < 20_000; round++) {
                    int n = 2 + round % 3;
                    AtomicInteger[] runs = new AtomicInteger[n];
                    for (int i = 0; i < n; i++) {
                        runs[i] = new AtomicInteger();
                    }
                    Set<Thread> threads = ConcurrentHashMap.newKeySet();
                    assertSame(SpinLane.Outcome.RAN, lane.tryRun(n, 1, i -> {
                        runs[i].incrementAndGet();
                        threads.add(Thread.currentThread());
                    }));
                    for (int i = 0; i < n; i++) {
                        assertEquals(1, runs[i].get(), "round " + round + ", item " + i);
                    }
                    assertTrue(threads.size() <= n, threads.size() + " threads for " + n + " chunks");
                }
            });
        } finally {
            stop(lane);
        }
    }

    /** After the spin window the helpers park (WAITING) instead of burning a core. */
    @Test
    void helpersParkAfterTheSpinWindow() throws Exception {
        CpuPool.parallelForShort(100, 1, i -> { });
        Thread[] helpers = CpuPool.laneHelpers();
        assertEquals(CpuPool.laneHelperCount(), helpers.length);
        for (Thread h : helpers) {
            assertTrue(h.isDaemon(), h.getName() + " must not keep the JVM alive");
            assertTrue(h.getName().startsWith("batchwise-cpu-spin-"), h.getName());
            awaitState(h, Thread.State.WAITING);
        }
        // a private lane with a long window parks too, once the window has passed
        SpinLane lane = new SpinLane(1, 200_000, "spin-lane-test-window-");
        try {
            assertSame(SpinLane.Outcome.RAN, lane.tryRun(10, 1, i -> { }));
            awaitState(lane.helperThreads()[0], Thread.State.WAITING);
            long[] out = new long[50];
            assertSame(SpinLane.Outcome.RAN, lane.tryRun(50, 1, i -> out[i] = value(i)));
            assertArrayEquals(serial(50), out, "a parked helper is woken for the next loop");
        } finally {
            stop(lane);
        }
    }

    /** Repeated use starts no new threads: the helpers are started once and reused. */
    @Test
    void helpersAreStartedOnceAndReused() {
        CpuPool.parallelForShort(10, 1, i -> { });
        long before = countThreads("batchwise-cpu-spin-");
        for (int round = 0; round < 10_000; round++) {
            CpuPool.parallelForShort(4, 1, i -> { });
        }
        assertEquals(CpuPool.laneHelperCount(), before);
        assertEquals(before, countThreads("batchwise-cpu-spin-"));
    }

    private static long countThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).count();
    }

    private static void awaitState(Thread t, Thread.State state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (t.getState() != state) {
            if (System.nanoTime() > deadline) {
                fail(t.getName() + " is " + t.getState() + ", expected " + state);
            }
            Thread.sleep(1);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void stop(SpinLane lane) {
        lane.shutdown();
        for (Thread h : lane.helperThreads()) {
            try {
                h.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertTrue(!h.isAlive(), h.getName() + " stopped");
        }
    }
}
