package dev.batchwise.loss;

import dev.batchwise.cpu.CpuPool;

/**
 * Deterministic grouped sums on the CPU: each group is cut into fixed chunks (independent of the
 * thread count), chunks run in parallel, and the partial sums are added in chunk order.
 */
final class CpuGroupSum {
    static final int CHUNK = 4096;

    /** Sums units {@code [from, to)} of one group; {@code scale} is that group's gradient factor. */
    @FunctionalInterface
    interface Chunk {
        double run(int from, int to, double scale);
    }

    private CpuGroupSum() {}

    /** The raw (unscaled) sum of every group. */
    static double[] run(Groups groups, double[] scales, int chunk, Chunk body) {
        return run(groups, scales, chunk, 1, body);
    }

    /**
     * As {@link #run(Groups, double[], int, Chunk)}, with at least {@code chunksPerTask} chunks per
     * parallel task (all chunks on the calling thread when that covers them all). The sums do not
     * depend on it.
     */
    static double[] run(Groups groups, double[] scales, int chunk, int chunksPerTask, Chunk body) {
        int per = groups.perGroup();
        int chunksPerGroup = Math.max(1, (per + chunk - 1) / chunk);
        double[] partial = new double[groups.count() * chunksPerGroup];
        CpuPool.parallelFor(partial.length, chunksPerTask, i -> {
            int g = i / chunksPerGroup;
            int from = g * per + (i % chunksPerGroup) * chunk;
            int to = Math.min(from + chunk, (g + 1) * per);
            partial[i] = from < to ? body.run(from, to, scales[g]) : 0.0;
        });
        double[] sums = new double[groups.count()];
        for (int i = 0; i < partial.length; i++) {
            sums[i / chunksPerGroup] += partial[i];
        }
        return sums;
    }

    /** {@code sums[g] * scales[g]}. */
    static double[] scaled(double[] sums, double[] scales) {
        double[] v = new double[sums.length];
        for (int g = 0; g < v.length; g++) {
            v[g] = sums[g] * scales[g];
        }
        return v;
    }
}
