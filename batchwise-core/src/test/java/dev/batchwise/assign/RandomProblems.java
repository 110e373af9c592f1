package dev.batchwise.assign;

import java.util.SplittableRandom;

/** Seeded random cost matrices of the kinds the solver must handle, for property tests. */
final class RandomProblems {
    private RandomProblems() {}

    /** A {@code rows x cols} row-major matrix of kind {@code kind % 5}: uniform, small integers,
     *  wide range, negative, or uniform with about 30% forbidden (+inf) entries. */
    static double[] matrix(SplittableRandom rnd, int rows, int cols, int kind) {
        double[] m = new double[rows * cols];
        for (int i = 0; i < m.length; i++) {
            m[i] = switch (kind % 5) {
                case 0 -> rnd.nextDouble();
                case 1 -> rnd.nextInt(4);
                case 2 -> Math.scalb(rnd.nextDouble(), rnd.nextInt(-40, 40));
                case 3 -> -100 * rnd.nextDouble();
                default -> rnd.nextDouble() < 0.3 ? Double.POSITIVE_INFINITY : rnd.nextDouble();
            };
        }
        return m;
    }
}
