package dev.batchwise.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class CpuPoolTest {
    @Test
    void everyItemRunsExactlyOnce() {
        for (int n : new int[] {0, 1, 2, 3, 7, 64, 1000, 4097}) {
            for (int grain : new int[] {1, 3, 64, 10_000}) {
                AtomicIntegerArray seen = new AtomicIntegerArray(Math.max(n, 1));
                CpuPool.parallelFor(n, grain, seen::incrementAndGet);
                for (int i = 0; i < n; i++) {
                    assertEquals(1, seen.get(i), "item " + i + " of n=" + n + ", grain=" + grain);
                }
            }
        }
    }

    @Test
    void anItemsExceptionIsRethrownOnTheCaller() {
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CpuPool.parallelFor(500, 1, i -> {
            if (i == 137) {
                throw boom;
            }
        }));
        assertTrue(e == boom || e.getCause() == boom, "the item's exception comes back: " + e);
        AtomicInteger after = new AtomicInteger();
        CpuPool.parallelFor(100, 1, i -> after.incrementAndGet());
        assertEquals(100, after.get(), "the pool still works after a failed loop");
    }

    /**
     * Many short loops of uneven items, as the W1 step and its per-sample baseline run them: every
     * loop runs on at most {@code parallelism} threads. (The recursive splitting this pool used
     * before blocked workers in joins; the pool then started spare workers, and a loop ran on three
     * threads of a 2-core machine.)
     */
    @Test
    void eachLoopRunsOnAtMostParallelismThreads() {
        int most = 0;
        long end = System.nanoTime() + 2_000_000_000L;
        for (int round = 0; System.nanoTime() < end; round++) {
            int n = 5 + round % 40;
            java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
            CpuPool.parallelFor(n, 1, i -> {
                threads.add(Thread.currentThread());
                long until = System.nanoTime() + (i % 7 == 0 ? 30_000 : 3_000);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            });
            most = Math.max(most, threads.size());
        }
        assertTrue(most <= CpuPool.parallelism(),
                "at most " + CpuPool.parallelism() + " threads per loop, saw " + most);
    }

    /** Items that park their thread: still never more threads running items at once than the parallelism. */
    @Test
    void neverMoreThreadsRunItemsThanTheParallelism() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        for (int round = 0; round < 20; round++) {
            CpuPool.parallelFor(40, 1, i -> {
                int now = running.incrementAndGet();
                most.accumulateAndGet(now, Math::max);
                LockSupport.parkNanos((i % 5 == 0 ? 400_000L : 20_000L));
                running.decrementAndGet();
            });
        }
        assertTrue(most.get() <= CpuPool.parallelism(),
                "at most " + CpuPool.parallelism() + " threads at once, saw " + most.get());
        assertSame(0, running.get());
    }
}
