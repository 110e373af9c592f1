package dev.batchwise.tensor;

import java.util.Arrays;

/** Small helpers for shapes ({@code long[]} extents, row-major). */
public final class Shapes {
    private Shapes() {}

    /** Product of the extents (1 for rank 0). @throws IllegalArgumentException on a negative extent or overflow */
    public static long numel(long... shape) {
        long n = 1;
        boolean overflow = false;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("shape extents must be >= 0, got " + format(shape));
            }
            long m = n * shape[i];
            if (shape[i] != 0 && m / shape[i] != n) {
                overflow = true;
            }
            n = m;
        }
        for (long e : shape) {
            if (e == 0) {
                return 0;
            }
        }
        if (overflow) {
            throw new IllegalArgumentException("shape " + format(shape) + " has more than " + Long.MAX_VALUE + " elements");
        }
        return n;
    }

    /** Product of {@code shape[from..to)}. */
    public static long numel(long[] shape, int from, int to) {
        long n = 1;
        for (int i = from; i < to; i++) {
            n *= shape[i];
        }
        return n;
    }

    /** Python-style text: {@code (8, 50, 3)}, {@code (5,)}, {@code ()}. */
    public static String format(long... shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i]);
        }
        return sb.append(')').toString();
    }

    /** Resolves a possibly negative axis against {@code rank}. @throws IllegalArgumentException when out of range */
    public static int axis(int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for rank " + rank);
        }
        return a;
    }

    /** Concatenation of two shapes. */
    public static long[] concat(long[] a, long... b) {
        long[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
