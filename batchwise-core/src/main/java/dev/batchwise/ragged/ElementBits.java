package dev.batchwise.ragged;

import dev.batchwise.tensor.DType;

/**
 * A scalar converted to one element of a dtype, as raw little-endian bits in a {@code long}
 * (low {@code byteSize} bytes used). The conversion follows {@link dev.batchwise.tensor.Tensor#to(DType)}:
 * floats truncate toward zero and saturate for integers, anything to BOOL is {@code v != 0}
 * (NaN is true).
 */
final class ElementBits {
    private ElementBits() {}

    static long of(double v, DType t) {
        return switch (t) {
            case FLOAT32 -> Float.floatToRawIntBits((float) v) & 0xffffffffL;
            case FLOAT64 -> Double.doubleToRawLongBits(v);
            case INT32 -> ((int) v) & 0xffffffffL;
            case INT64 -> (long) v;
            case UINT8 -> ((int) v) & 0xffL;
            case BOOL -> v != 0 || Double.isNaN(v) ? 1 : 0;
        };
    }
}
