package dev.batchwise.cpu;

import java.util.concurrent.CountedCompleter;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The one CPU thread pool of batchwise: a {@link ForkJoinPool} sized to the available cores, used
 * to run independent work items (samples, problems, maps) in parallel.
 *
 * <p>Work items must be independent: each writes only its own part of the outputs.
 *
 * <p>How a loop is scheduled, and why: {@link #parallelFor} starts at most one task per worker,
 * and those tasks claim chunks of items from a shared counter until none are left. The tasks are
 * {@link CountedCompleter}s, so no worker ever blocks in a {@code join}. An earlier version split
 * the range recursively with {@code invokeAll}; a worker joining a half that another worker was
 * still running parked, and the pool compensated by starting a spare worker. Spares stay alive,
 * so after a while a 2-core machine had three workers running items at once: each loop's last
 * chunks then waited for a core, and the W1 cost stage on 2 cores took 9.5 ms instead of 6.3 ms
 * (measured with a per-thread timing probe: three worker threads, each busy for the whole loop).
 * With one task per worker the number of threads running items never exceeds the parallelism,
 * whatever the pool size, and the shared counter balances uneven items dynamically.
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

    /** Number of worker threads (= available processors). */
    public static int parallelism() {
        return POOL.getParallelism();
    }

    /**
     * Runs {@code body.accept(i)} for every {@code i} in {@code [0, n)}, in parallel when there is
     * more than one item and more than one core, otherwise on the calling thread. At most
     * {@link #parallelism()} threads run items at a time; they claim contiguous chunks of at least
     * {@code minItemsPerTask} items (in increasing order) until none are left. Exceptions from any
     * item are rethrown on the calling thread; chunks not yet claimed are then skipped.
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
        int chunks = (int) Math.min((n + (long) grain - 1) / grain, (long) workers * CHUNKS_PER_WORKER);
        int chunk = (n + chunks - 1) / chunks;
        chunks = (n + chunk - 1) / chunk;
        Loop loop = new Loop(n, chunk, chunks, body);
        POOL.invoke(new Share(null, loop, Math.min(workers, chunks)));
    }

    /** {@code parallelFor(n, 1, body)}: one item may be a task. */
    public static void parallelFor(int n, IntConsumer body) {
        parallelFor(n, 1, body);
    }

    /** The items of one {@link #parallelFor} and the counter of the next chunk to claim. */
    private static final class Loop {
        private final int n;
        private final int chunk;
        private final int chunks;
        private final IntConsumer body;
        private final AtomicInteger next = new AtomicInteger();
        private volatile boolean failed;

        Loop(int n, int chunk, int chunks, IntConsumer body) {
            this.n = n;
            this.chunk = chunk;
            this.chunks = chunks;
            this.body = body;
        }

        void run() {
            try {
                for (int c = next.getAndIncrement(); c < chunks && !failed; c = next.getAndIncrement()) {
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
