package dev.batchwise.tensor;

import java.util.Arrays;

/**
 * Argument validation with messages that name the argument and show expected vs actual, e.g.
 * {@code "centers must have shape (B, M, 2), got (8, 50, 3)"}. All checks run before any work.
 */
public final class TensorChecks {
    /** Wildcard extent for {@link #requireShape}: any size matches. */
    public static final long ANY = -1;

    private TensorChecks() {}

    /** @throws IllegalArgumentException if {@code t} is null */
    public static Tensor requireNonNull(Tensor t, String name) {
        if (t == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return t;
    }

    /**
     * Checks rank and extents; {@link #ANY} matches any extent.
     *
     * @param expected a readable form such as {@code "(B, M, 2)"} used in the message
     * @throws IllegalArgumentException on mismatch
     */
    public static Tensor requireShape(Tensor t, String name, String expected, long... dims) {
        requireNonNull(t, name);
        long[] s = t.shape();
        boolean ok = s.length == dims.length;
        for (int i = 0; ok && i < dims.length; i++) {
            ok = dims[i] == ANY || dims[i] == s[i];
        }
        if (!ok) {
            throw new IllegalArgumentException(name + " must have shape " + expected + ", got " + Shapes.format(s));
        }
        return t;
    }

    /** @throws IllegalArgumentException unless {@code t.rank() == rank} */
    public static Tensor requireRank(Tensor t, String name, int rank) {
        requireNonNull(t, name);
        if (t.rank() != rank) {
            throw new IllegalArgumentException(
                    name + " must have rank " + rank + ", got shape " + Shapes.format(t.shape()));
        }
        return t;
    }

    /** @throws IllegalArgumentException unless the dtype is one of {@code allowed} */
    public static Tensor requireDType(Tensor t, String name, DType... allowed) {
        requireNonNull(t, name);
        for (DType d : allowed) {
            if (t.dtype() == d) {
                return t;
            }
        }
        String exp = allowed.length == 1 ? allowed[0].toString() : Arrays.toString(allowed);
        throw new IllegalArgumentException(name + " must have dtype " + exp + ", got " + t.dtype());
    }

    /** @throws IllegalArgumentException unless {@code t} is on {@code device} */
    public static Tensor requireDevice(Tensor t, String name, Device device) {
        requireNonNull(t, name);
        if (t.device() != device) {
            throw new IllegalArgumentException(name + " must be on " + device + ", got " + t.device());
        }
        return t;
    }

    /**
     * Checks that all tensors are on the device of the first; names alternate with tensors:
     * {@code requireSameDevice("pred", pred, "target", target)}.
     *
     * @return the common device
     */
    public static Device requireSameDevice(Object... namesAndTensors) {
        Device device = null;
        String first = null;
        for (int i = 0; i < namesAndTensors.length; i += 2) {
            String name = (String) namesAndTensors[i];
            Tensor t = (Tensor) namesAndTensors[i + 1];
            if (t == null) {
                continue;
            }
            if (device == null) {
                device = t.device();
                first = name;
            } else if (t.device() != device) {
                throw new IllegalArgumentException(
                        name + " must be on the same device as " + first + " (" + device + "), got " + t.device());
            }
        }
        return device;
    }

    /** @throws IllegalArgumentException unless both have the same shape */
    public static void requireSameShape(Tensor a, String nameA, Tensor b, String nameB) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(nameB + " must have the same shape as " + nameA + " "
                    + Shapes.format(a.shape()) + ", got " + Shapes.format(b.shape()));
        }
    }
}
