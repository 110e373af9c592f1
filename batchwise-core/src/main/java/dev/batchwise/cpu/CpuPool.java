package dev.batchwise.cpu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CountedCompleter;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The one CPU thread pool of batchwise, used to run independent work items (samples, problems,
 * maps) in parallel: a {@link ForkJoinPool} sized to the available cores for {@link #parallelFor},
 * and a {@link SpinLane} (the calling thread plus a few polling helper threads, one loop at a
 * time) for the microsecond-scale loops of {@link #parallelForShort}.
 *
 * <p>Work items must be independent: each writes only its own part of the outputs.
 *
 * <p>How a loop is scheduled, and why: at most one thread per core takes part in a loop, and the
 * threads claim chunks of items from a shared counter until none are left. On the fork/join pool
 * {@link #parallelFor} starts at most one task per worker; the tasks are {@link CountedCompleter}s,
 * so no worker ever blocks in a {@code join}. An earlier version split the range recursively with
 * {@code invokeAll}; a worker joining a half that another worker was still running parked, and
 * the pool compensated by starting a spare worker. Spares stay alive, so after a while a 2-core
 * machine had three workers running items at once: each loop's last chunks then waited for a
 * core, and the W1 cost stage on 2 cores took 9.5 ms instead of 6.3 ms (measured with a
 * per-thread timing probe: three worker threads, each busy for the whole loop). With one task per
 * worker the number of threads running items never exceeds the parallelism, whatever the pool
 * size, and the shared counter balances uneven items dynamically.
 *
 * <p>Why the lane: handing a loop to the fork/join pool from an outside thread costs 12-24 µs on
 * the 2-core development machine (its workers are parked between loops and must be woken), more
 * than a microsecond-scale op such as the W1 combine takes in all. The lane's helpers
 * ({@code batchwise-cpu-spin-N}) poll for the next loop for a short spin window after each one:
 * through them a loop of two empty items takes 0.2-0.6 µs (1.9-2.3 µs when the helper has
 * parked), and a loop of two 2 µs items 2.7 µs, 0.7 µs more than one item (8.5-8.8 µs through
 * the fork/join pool). Only one loop uses the lane at a time: a short loop started by another
 * thread meanwhile, by a fork/join worker of this pool, or inside an item of the lane's loop runs
 * on its calling thread.
 *
 * <p>Which loops use the lane: only {@link #parallelForShort}, for loops of a few microseconds in
 * all (the CPU ragged ops), where the hand-off is the whole cost. {@link #parallelFor} stays on
 * the fork/join pool. Measured with the W1 bench on 2 cores, three runs each, sending every
 * {@code parallelFor} through the lane left the batched W1 step where it was (11.8-13.0 ms
 * either way) and made only the per-sample baseline faster (18.5-20.9 ms against 27.3-28.4 ms:
 * it runs many small loops); meanwhile a spinning helper keeps a core busy for up to the spin
 * window after every loop, taking it from whatever else the process runs between loops (a data
 * pipeline, the JIT). Where a loop is large enough for the fork/join hand-off not to matter, the
 * spinning buys nothing and costs a core, so it is spent only where it pays.
 *
 * <p>System properties, read once: {@code batchwise.cpu.spinMicros} (default 150) is the spin
 * window in microseconds, 0 parks the helpers right after each loop;
 * {@code batchwise.cpu.spinLane=false} sends every loop to the fork/join pool (no helper threads
 * are started).
 */
public final class CpuPool {
    /**
     * Chunks per worker a loop is cut into at most: a loop of up to this many items per worker
     * (e.g. W1's 96 assignment problems on 2 cores) is claimed one item at a time, so the last
     * items to finish are single ones; larger loops take a few hundred counter updates at most.
     */
    private static final int CHUNKS_PER_WORKER = 64;
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    private static final ForkJoinPool POOL = new ForkJoinPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()),
            pool -> {
                var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                // the pool index is not assigned yet when the factory runs, so number the threads here
                t.setName("batchwise-cpu-" + THREAD_NUMBER.getAndIncrement());
                t.setDaemon(true);
                return t;
            },
            null, false);

    private CpuPool() {}

    /** Threads that run the items of one loop at most (= available processors). */
    public static int parallelism() {
        return POOL.getParallelism();
    }

    /**
     * Runs {@code body.accept(i)} for every {@code i} in {@code [0, n)} on the fork/join pool, in
     * parallel when there is more than one item and more than one core, otherwise on the calling
     * thread. At most {@link #parallelism()} threads run items at a time; they claim contiguous
     * chunks of at least {@code minItemsPerTask} items (in increasing order) until none are left.
     * Exceptions from any item are rethrown on the calling thread (possibly a copy with the item's
     * exception as the cause); chunks not yet claimed are then skipped. Everything the items wrote
     * is visible to the caller when this returns. For loops of a few microseconds in all, use
     * {@link #parallelForShort}: the fork/join hand-off alone costs 12-24 µs on 2 cores.
     *
     * @param n number of items, {@code >= 0}
     * @param minItemsPerTask smallest chunk worth a task (use a larger value for cheap items)
     */
    public static void parallelFor(int n, int minItemsPerTask, IntConsumer body) {
        if (n <= 0) {
            return;
        }
        int grain = Math.max(1, minItemsPerTask);
        int workers = POOL.getParallelism();
        if (n <= grain || workers == 1) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        Loop loop = new Loop(n, grain, workers, body);
        POOL.invoke(new Share(null, loop, Math.min(workers, loop.chunks)));
    }

    /** Whether the calling thread is a fork/join worker of this pool. */
    private static boolean isPoolWorker() {
        return Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == POOL;
    }

    /**
     * {@link #parallelFor} for a loop that takes only a few microseconds in all: it runs on the
     * lane when the lane is free, and otherwise (another thread's loop holds it, the caller runs
     * an item of a loop itself, or the lane is turned off) on the calling thread, since handing it
     * to the fork/join pool would cost more than the whole loop.
     *
     * @param n number of items, {@code >= 0}
     * @param minItemsPerTask smallest chunk worth a thread
     */
    public static void parallelForShort(int n, int minItemsPerTask, IntConsumer body) {
        if (n <= 0) {
            return;
        }
        int grain = Math.max(1, minItemsPerTask);
        int workers = POOL.getParallelism();
        if (n > grain && workers > 1 && Lane.ENABLED && !isPoolWorker()
                && Lane.LANE.tryRun(n, grain, body) == SpinLane.Outcome.RAN) {
            return;
        }
        for (int i = 0; i < n; i++) {
            body.accept(i);
        }
    }

    /** {@code parallelFor(n, 1, body)}: one item may be a task. */
    public static void parallelFor(int n, IntConsumer body) {
        parallelFor(n, 1, body);
    }

    /**
     * The shared {@link SpinLane}, started on first use; {@code batchwise.cpu.spinLane=false}
     * turns it off (every short loop then runs on its calling thread).
     */
    private static final class Lane {
        static final boolean ENABLED = POOL.getParallelism() > 1
                && Boolean.parseBoolean(System.getProperty("batchwise.cpu.spinLane", "true"));
        static final SpinLane LANE = ENABLED
                ? new SpinLane(laneHelperCount(), SpinLane.configuredSpinMicros(), "batchwise-cpu-spin-")
                : null;
    }

    /**
     * Helpers of the shared lane: {@code batchwise.cpu.spinHelpers} (default
     * {@value #DEFAULT_LANE_HELPERS}), at most {@code parallelism() - 1}, at least 1. Why few: the
     * lane serves loops of a few microseconds, which gain little from more threads, while every
     * helper polls for up to the spin window after each loop. Measured on the 16-core GPU host
     * with 15 helpers, the W1 combine (3 chunks) took 5.2 µs median, slower than on one thread
     * (3.7 µs): the idle helpers' polling of the loop's counters slowed the threads that work.
     */
    static int laneHelperCount() {
        int wanted = Integer.getInteger("batchwise.cpu.spinHelpers", DEFAULT_LANE_HELPERS);
        return Math.max(1, Math.min(POOL.getParallelism() - 1, wanted));
    }

    /** Default helpers of the shared lane (see {@link #laneHelperCount}). */
    static final int DEFAULT_LANE_HELPERS = 3;

    /** The helper threads of the shared lane, started if they were not yet (for tests). */
    static Thread[] laneHelpers() {
        return Lane.ENABLED ? Lane.LANE.helperThreads() : new Thread[0];
    }

    /** Rethrows any throwable without declaring it (an item's checked exception thrown sneakily). */
    @SuppressWarnings("unchecked")
    static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }

    /**
     * The items of one {@link #parallelFor}, cut into chunks, and the counter of the next chunk to
     * claim. Every thread of a loop runs {@link #run}; after an item throws, the chunks not yet
     * claimed are skipped. (Not final: the lane's job extends it, so that the lane allocates one
     * object per loop and its threads find the chunk counter and the join counter together.)
     */
    static class Loop {
        private static final VarHandle NEXT;

        static {
            try {
                NEXT = MethodHandles.lookup().findVarHandle(Loop.class, "next", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final int n;
        private final int chunk;
        final int chunks;
        /** Not final: {@link #forgetBody} drops it once the loop is over. */
        private IntConsumer body;
        @SuppressWarnings("unused") // through NEXT
        private volatile int next;
        private volatile boolean failed;

        /**
         * {@code n > grain} items for {@code workers} threads: chunks of at least {@code grain}
         * items, at most {@link #CHUNKS_PER_WORKER} per worker, all but the last of one size.
         */
        Loop(int n, int grain, int workers, IntConsumer body) {
            int chunks = (int) Math.min((n + (long) grain - 1) / grain, (long) workers * CHUNKS_PER_WORKER);
            int chunk = (n + chunks - 1) / chunks;
            this.n = n;
            this.chunk = chunk;
            this.chunks = (n + chunk - 1) / chunk;
            this.body = body;
        }

        /**
         * Drops the body once no thread runs items any more, so that an object that outlives the
         * loop (the lane's last job) does not keep what the body captured reachable.
         */
        final void forgetBody() {
            body = null;
        }

        /** Claims chunks and runs their items until none are left (or an item has thrown). */
        final void run() {
            run(claim());
        }

        /** The next unclaimed chunk ({@code >= chunks} when none is left). */
        final int claim() {
            return (int) NEXT.getAndAdd(this, 1);
        }

        /** Runs chunk {@code first}, claimed by the caller with {@link #claim}, then as {@link #run()}. */
        final void run(int first) {
            try {
                for (int c = first; c < chunks && !failed; c = claim()) {
                    int to = Math.min(n, (c + 1) * chunk);
                    for (int i = c * chunk; i < to; i++) {
                        body.accept(i);
                    }
                }
            } catch (Throwable t) {
                failed = true;
                throw t;
            }
        }
    }

    /**
     * One worker's share of a loop. The root forks {@code tasks - 1} siblings, then all of them
     * run {@link Loop#run}; the root completes when every share has, and an exception in any
     * share completes the root exceptionally.
     */
    private static final class Share extends CountedCompleter<Void> {
        private final Loop loop;
        private final int tasks;

        Share(Share root, Loop loop, int tasks) {
            super(root);
            this.loop = loop;
            this.tasks = tasks;
        }

        @Override
        public void compute() {
            if (getCompleter() == null && tasks > 1) {
                setPendingCount(tasks - 1);
                for (int t = 1; t < tasks; t++) {
                    new Share(this, loop, 1).fork();
                }
            }
            loop.run();
            tryComplete();
        }
    }
}
