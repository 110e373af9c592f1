package dev.batchwise.assign;

/** Optimal assignment value by enumerating every injective map of the smaller side (tiny problems only). */
final class BruteForce {
    private BruteForce() {}

    /**
     * The minimal (or maximal) total over all complete assignments of the smaller side that avoid
     * forbidden entries; {@code +inf} (or {@code -inf}) when there is none.
     */
    static double optimum(double[] m, int rows, int cols, boolean maximize) {
        boolean tall = rows > cols;
        int n = Math.min(rows, cols);
        int big = Math.max(rows, cols);
        double[] best = {maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY};
        search(m, cols, tall, n, big, 0, new boolean[big], 0.0, maximize, best);
        return best[0];
    }

    private static void search(double[] m, int cols, boolean tall, int n, int big, int depth, boolean[] used,
                               double sum, boolean maximize, double[] best) {
        if (depth == n) {
            if (maximize ? sum > best[0] : sum < best[0]) {
                best[0] = sum;
            }
            return;
        }
        for (int other = 0; other < big; other++) {
            if (used[other]) {
                continue;
            }
            double c = tall ? m[other * cols + depth] : m[depth * cols + other];
            if (Double.isInfinite(c)) {
                continue;
            }
            used[other] = true;
            search(m, cols, tall, n, big, depth + 1, used, sum + c, maximize, best);
            used[other] = false;
        }
    }
}
