package dev.batchwise.cpu;

/**
 * A fixed number of {@code double[]} work buffers per thread, grown on demand and reused across
 * calls: the blocks that vectorised CPU kernels pass through {@link VectorMath} without
 * allocating per call. Each user keeps its own instance (one {@link ThreadLocal} each), so two
 * kernels never hand out the same buffer to one thread.
 *
 * <pre>{@code
 * private static final DoubleBuffers BUF = new DoubleBuffers(3);
 * double[] e = BUF.get(0, n);   // at least n long; contents unspecified
 * double[][] b = BUF.all(n);    // all three, each at least n long
 * }</pre>
 */
public final class DoubleBuffers {
    private final int count;
    private final ThreadLocal<double[][]> local;

    /** {@code count} buffers per thread. */
    public DoubleBuffers(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        this.count = count;
        this.local = ThreadLocal.withInitial(() -> new double[count][0]);
    }

    /**
     * This thread's buffer {@code slot} ({@code 0 <= slot < count}), at least {@code n} long; its
     * contents are whatever the thread left there.
     */
    public double[] get(int slot, int n) {
        double[][] b = local.get();
        if (b[slot].length < n) {
            b[slot] = new double[n];
        }
        return b[slot];
    }

    /**
     * All of this thread's buffers, each at least {@code n} long (one thread-local lookup for a
     * kernel that uses several: they are called per block of a few hundred elements).
     */
    public double[][] all(int n) {
        double[][] b = local.get();
        for (int i = 0; i < b.length; i++) {
            if (b[i].length < n) {
                b[i] = new double[n];
            }
        }
        return b;
    }

    /** Number of buffers per thread. */
    public int count() {
        return count;
    }
}
