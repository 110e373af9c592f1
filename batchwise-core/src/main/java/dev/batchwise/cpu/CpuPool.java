package dev.batchwise.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

/**
 * The one CPU thread pool of batchwise: a {@link ForkJoinPool} sized to the available cores, used
 * to run independent work items (samples, problems, maps) in parallel.
 *
 * <p>Work items must be independent: each writes only its own part of the outputs.
 */
public final class CpuPool {
    private static final ForkJoinPool POOL = new ForkJoinPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()),
            pool -> {
                var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                t.setName("batchwise-cpu-" + t.getPoolIndex());
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
     * more than one item and more than one core, otherwise on the calling thread. Items are split
     * into contiguous chunks of at least {@code minItemsPerTask}. Exceptions from any item are
     * rethrown on the calling thread.
     *
     * @param n number of items, {@code >= 0}
     * @param minItemsPerTask smallest chunk worth a task (use a larger value for cheap items)
     */
    public static void parallelFor(int n, int minItemsPerTask, IntConsumer body) {
        if (n <= 0) {
            return;
        }
        int grain = Math.max(1, minItemsPerTask);
        if (n <= grain || POOL.getParallelism() == 1) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        // Aim for a few chunks per worker so uneven items still balance.
        int chunks = Math.min((n + grain - 1) / grain, POOL.getParallelism() * 4);
        int chunk = (n + chunks - 1) / chunks;
        POOL.invoke(new Range(0, n, chunk, body));
    }

    /** {@code parallelFor(n, 1, body)}: one item may be a task. */
    public static void parallelFor(int n, IntConsumer body) {
        parallelFor(n, 1, body);
    }

    private static final class Range extends RecursiveAction {
        private final int from;
        private final int to;
        private final int chunk;
        private final IntConsumer body;

        Range(int from, int to, int chunk, IntConsumer body) {
            this.from = from;
            this.to = to;
            this.chunk = chunk;
            this.body = body;
        }

        @Override
        protected void compute() {
            if (to - from <= chunk) {
                for (int i = from; i < to; i++) {
                    body.accept(i);
                }
                return;
            }
            int mid = from + ((to - from) / chunk / 2) * chunk;
            if (mid <= from) {
                mid = from + chunk;
            }
            invokeAll(new Range(from, mid, chunk, body), new Range(mid, to, chunk, body));
        }
    }
}
