package dev.batchwise.tensor;

import java.lang.foreign.ValueLayout;

/**
 * Element type of a {@link Tensor}.
 *
 * <p>Storage is little-endian and matches NumPy's dtypes of the same name ({@code float32} ↔
 * {@code <f4}, {@code bool} ↔ {@code |b1} stored as one byte holding 0 or 1).
 */
public enum DType {
    /** IEEE-754 binary32. NumPy {@code float32}. */
    FLOAT32(4, "float32", "<f4", ValueLayout.JAVA_FLOAT),
    /** IEEE-754 binary64. NumPy {@code float64}. */
    FLOAT64(8, "float64", "<f8", ValueLayout.JAVA_DOUBLE),
    /** Two's-complement 32-bit integer. NumPy {@code int32}. */
    INT32(4, "int32", "<i4", ValueLayout.JAVA_INT),
    /** Two's-complement 64-bit integer. NumPy {@code int64}. */
    INT64(8, "int64", "<i8", ValueLayout.JAVA_LONG),
    /** Unsigned 8-bit integer (0..255). NumPy {@code uint8}. */
    UINT8(1, "uint8", "|u1", ValueLayout.JAVA_BYTE),
    /** Boolean stored as one byte, 0 = false, 1 = true. NumPy {@code bool}. */
    BOOL(1, "bool", "|b1", ValueLayout.JAVA_BYTE);

    private final int byteSize;
    private final String displayName;
    private final String numpyDescr;
    private final ValueLayout layout;

    DType(int byteSize, String displayName, String numpyDescr, ValueLayout layout) {
        this.byteSize = byteSize;
        this.displayName = displayName;
        this.numpyDescr = numpyDescr;
        this.layout = layout;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** True for FLOAT32 and FLOAT64. */
    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** True for INT32, INT64 and UINT8. */
    public boolean isInteger() {
        return this == INT32 || this == INT64 || this == UINT8;
    }

    /** The NumPy dtype descriptor used in {@code .npy} headers, e.g. {@code "<f4"}. */
    public String numpyDescr() {
        return numpyDescr;
    }

    /** The FFM value layout of one element (JAVA_BYTE for UINT8 and BOOL). */
    public ValueLayout layout() {
        return layout;
    }

    /** Lower-case NumPy-style name, e.g. {@code float32}. */
    @Override
    public String toString() {
        return displayName;
    }
}
