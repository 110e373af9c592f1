package dev.batchwise.cli.bench;

import java.util.Arrays;

/**
 * Decides when warm-up is over: after at least {@code minRuns} runs and {@code minMillis}, once the
 * run times have stopped falling — the median of the last {@code window} runs is no more than 3%
 * below the median of the {@code window} runs before — or when {@code maxMillis} has passed.
 *
 * <p>Why: on a small machine the JIT compiles vectorised hot loops for seconds while sharing the
 * cores with the code it compiles, so a fixed warm-up count times the interpreter or C1 code, not
 * what a training loop runs after its first seconds.
 *
 * @param minRuns warm-up runs at least
 * @param minMillis warm-up time at least
 * @param maxMillis warm-up time at most (wins over the steadiness test)
 * @param window runs per window of the steadiness test, {@code >= 1}
 */
public record WarmUpPolicy(int minRuns, long minMillis, long maxMillis, int window) {
    private static final double STEADY_RATIO = 0.97;

    /** No warm-up at all. */
    public static final WarmUpPolicy NONE = new WarmUpPolicy(0, 0, 0, 1);

    /** Checks the arguments. */
    public WarmUpPolicy {
        if (minRuns < 0 || minMillis < 0 || maxMillis < 0 || window < 1) {
            throw new IllegalArgumentException("warm-up limits must be >= 0 and the window >= 1, got "
                    + minRuns + ", " + minMillis + ", " + maxMillis + ", " + window);
        }
    }

    /**
     * True when warm-up may stop.
     *
     * @param times the warm-up run times so far (only the first {@code n} are used), any unit
     * @param n runs so far
     * @param elapsedMillis warm-up time so far
     */
    public boolean done(double[] times, int n, double elapsedMillis) {
        return done(times, n, n, elapsedMillis);
    }

    /**
     * {@link #done(double[], int, double)} when {@code times} holds only the latest {@code n} of
     * {@code runs} runs (a caller that keeps a bounded buffer).
     */
    public boolean done(double[] times, int n, long runs, double elapsedMillis) {
        if (runs < minRuns || elapsedMillis < minMillis) {
            return false;
        }
        if (elapsedMillis >= maxMillis) {
            return true;
        }
        if (n < 2 * window) {
            return false;
        }
        double last = median(times, n - window, n);
        double before = median(times, n - 2 * window, n - window);
        return last >= STEADY_RATIO * before;
    }

    private static double median(double[] v, int from, int to) {
        double[] s = Arrays.copyOfRange(v, from, to);
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }
}
