package dev.batchwise.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.Backends;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Scope ownership, nesting, detaching, close rules and leak freedom, on every backend. */
class ScopeContractTest {
    /**
     * The memory counters are global: tensors that earlier test classes left to the garbage
     * collector would otherwise be freed (and uncounted) in the middle of a test here.
     */
    @BeforeEach
    void freeWhatEarlierTestsLeftToTheGarbageCollector() throws InterruptedException {
        settle();
    }

    /** Collects and waits until the global CPU + CUDA byte counts stop moving. */
    private static void settle() throws InterruptedException {
        long last = -1;
        for (int i = 0; i < 50; i++) {
            System.gc();
            Thread.sleep(20); // the Cleaner thread frees what the collection found
            long now = MemoryStats.cpuBytesInUse() + MemoryStats.cudaBytesInUse();
            if (now == last) {
                return;
            }
            last = now;
        }
    }

    @AfterEach
    void noScopeLeftOpen() {
        assertNull(Scope.current(), "a test left a scope open on this thread");
    }

    /**
     * Global byte counts also fall whenever the cleaner frees unreachable tensors that other tests
     * left unowned, so the robust leak check is "no growth" rather than equality.
     */
    private static long bytes(Device d) {
        return d.isCpu() ? MemoryStats.cpuBytesInUse() : MemoryStats.cudaBytesInUse();
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void nestedScopesFreeWhatEachOwns(Device d) {
        Backends.assumeUsable(d);
        long before = bytes(d);
        Tensor a;
        Tensor b;
        Tensor view;
        try (Scope outer = Scope.open()) {
            assertSame(outer, Scope.current());
            a = Tensor.zeros(DType.FLOAT32, d, 16);
            try (Scope inner = Scope.open()) {
                assertSame(inner, Scope.current());
                b = Tensor.zeros(DType.INT64, d, 8);
                view = b.reshape(2, 4);
                assertEquals(1, inner.ownedCount(), "views do not count");
                assertEquals(1, outer.ownedCount());
            }
            assertSame(outer, Scope.current());
            assertTrue(b.isClosed() && view.isClosed());
            assertFalse(a.isClosed());
        }
        assertNull(Scope.current());
        assertTrue(a.isClosed());
        assertTrue(bytes(d) <= before, "nothing left allocated");
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void detachMovesToTheParentAndFromTheOutermostToNobody(Device d) {
        Backends.assumeUsable(d);
        long before = bytes(d);
        Tensor kept;
        Tensor unowned;
        try (Scope outer = Scope.open()) {
            try (Scope inner = Scope.open()) {
                Tensor t = Tensor.ones(DType.FLOAT64, d, 4);
                Tensor v = t.narrow(0, 1, 2);
                assertSame(v, inner.detach(v), "detaching a view moves the shared memory");
                assertEquals(0, inner.ownedCount());
                assertEquals(1, outer.ownedCount());
                kept = t;
            }
            assertFalse(kept.isClosed(), "a detached tensor survives its scope");
            assertEquals(4.0, sum(kept.toDoubleArray()));
            unowned = outer.detach(kept);
            assertEquals(0, outer.ownedCount());
        }
        assertFalse(unowned.isClosed(), "detached from the outermost scope: owned by nobody");
        assertEquals(4.0, sum(unowned.toDoubleArray()), "still readable after every scope closed");
        unowned.close();
        assertTrue(unowned.isClosed());
        assertTrue(bytes(d) <= before, "nothing left allocated");
    }

    @Test
    void detachErrors() {
        try (Scope outer = Scope.open()) {
            Tensor mine = Tensor.zeros(DType.FLOAT32, Device.CPU, 1);
            try (Scope inner = Scope.open()) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> inner.detach(mine));
                assertTrue(e.getMessage().contains("not owned by this scope"), e.getMessage());
                Tensor t = Tensor.zeros(DType.FLOAT32, Device.CPU, 1);
                t.close();
                assertThrows(IllegalStateException.class, () -> inner.detach(t));
                assertThrows(IllegalArgumentException.class, () -> inner.detach(null));
            }
            Tensor loose = outer.detach(Tensor.zeros(DType.FLOAT32, Device.CPU, 1));
            assertThrows(IllegalArgumentException.class, () -> outer.detach(loose));
            loose.close();
        }
    }

    @Test
    void closingOutOfOrderOrOnAnotherThreadFails() throws Exception {
        Scope outer = Scope.open();
        Scope inner = Scope.open();
        IllegalStateException order = assertThrows(IllegalStateException.class, outer::close);
        assertTrue(order.getMessage().contains("innermost first"), order.getMessage());
        assertSame(inner, Scope.current(), "a refused close changes nothing");
        Tensor t = Tensor.zeros(DType.UINT8, Device.CPU, 3);
        AtomicReference<Throwable> fromOther = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                inner.close();
            } catch (Throwable e) {
                fromOther.set(e);
            }
        }, "other-thread");
        other.start();
        other.join();
        assertTrue(fromOther.get() instanceof IllegalStateException, String.valueOf(fromOther.get()));
        assertTrue(fromOther.get().getMessage().contains("thread that opened it"), fromOther.get().getMessage());
        assertFalse(t.isClosed());
        inner.close();
        inner.close(); // idempotent
        assertTrue(t.isClosed());
        outer.close();
        assertNull(Scope.current());
    }

    @Test
    void explicitCloseLeavesTheScopeAndOtherThreadsHaveTheirOwnScopes() throws Exception {
        try (Scope s = Scope.open()) {
            Tensor a = Tensor.zeros(DType.FLOAT32, Device.CPU, 2);
            Tensor b = Tensor.zeros(DType.FLOAT32, Device.CPU, 2);
            assertEquals(2, s.ownedCount());
            a.close();
            assertEquals(1, s.ownedCount());
            Tensor fromWorker = CompletableFuture.supplyAsync(() -> Tensor.zeros(DType.FLOAT32, Device.CPU, 2)).get();
            assertEquals(1, s.ownedCount(), "a tensor made on a thread with no scope open is not ours");
            assertThrows(IllegalArgumentException.class, () -> s.detach(fromWorker));
            fromWorker.close();
            assertFalse(b.isClosed());
        }
    }

    /**
     * A million allocations and frees inside scopes leave the memory statistics where they were;
     * half the tensors are closed explicitly, half by their scope, and every scope also makes a
     * view and a copy.
     */
    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void aMillionAllocateFreeCyclesKeepMemoryFlat(Device d) throws InterruptedException {
        Backends.assumeUsable(d);
        settle();
        long cpu = MemoryStats.cpuBytesInUse();
        long cuda = MemoryStats.cudaBytesInUse();
        int scopes = 10_000;
        int perScope = 100;
        for (int i = 0; i < scopes; i++) {
            try (Scope s = Scope.open()) {
                Tensor first = null;
                for (int j = 0; j < perScope - 1; j++) {
                    Tensor t = Tensor.empty(DType.FLOAT32, d, 2, 2);
                    if (first == null) {
                        first = t;
                    } else if ((j & 1) == 0) {
                        t.close();
                    }
                }
                Tensor c = first.reshape(4).copy();
                assertEquals(perScope / 2 + 1, s.ownedCount(), "the first, the odd ones and the copy");
                c.close();
            }
            if (i % 1000 == 0) {
                assertNoGrowth(cpu, MemoryStats.cpuBytesInUse(), "CPU bytes after scope " + i);
                assertNoGrowth(cuda, MemoryStats.cudaBytesInUse(), "CUDA bytes after scope " + i);
            }
        }
        assertNoGrowth(cpu, MemoryStats.cpuBytesInUse(), "CPU bytes after a million cycles");
        assertNoGrowth(cuda, MemoryStats.cudaBytesInUse(), "CUDA bytes after a million cycles");
    }

    /**
     * Tensors owned by one thread's scope may be closed by another thread while the owner keeps
     * allocating into the same scope; the scope's bookkeeping must stay consistent.
     */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a corrupted list used to loop forever
    void closingFromAnotherThreadWhileTheOwnerAllocates() throws Exception {
        settle();
        long before = MemoryStats.cpuBytesInUse();
        int n = 300_000;
        ConcurrentLinkedQueue<Tensor> handOff = new ConcurrentLinkedQueue<>();
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger closed = new AtomicInteger();
        Thread closer = new Thread(() -> {
            while (true) {
                Tensor t = handOff.poll();
                if (t != null) {
                    t.close();
                    closed.incrementAndGet();
                } else if (done.get() && handOff.isEmpty()) {
                    return;
                } else {
                    Thread.onSpinWait();
                }
            }
        }, "closer");
        closer.start();
        try (Scope s = Scope.open()) {
            for (int i = 0; i < n; i++) {
                Tensor t = Tensor.empty(DType.UINT8, Device.CPU, 8);
                if (i % 4 != 0) {
                    handOff.add(t);
                }
            }
            done.set(true);
            closer.join();
            assertEquals(n - n / 4, closed.get());
            assertEquals(n / 4, s.ownedCount());
        }
        assertNoGrowth(before, MemoryStats.cpuBytesInUse(), "CPU bytes after the scope");
    }

    static void assertNoGrowth(long before, long now, String what) {
        assertTrue(now <= before, () -> what + ": " + now + " bytes in use, " + before + " before");
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }
}
