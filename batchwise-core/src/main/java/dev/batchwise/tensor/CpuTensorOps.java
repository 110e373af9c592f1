package dev.batchwise.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** CPU element conversion, fill and scalar access behind {@link Tensor}. */
final class CpuTensorOps {
    private CpuTensorOps() {}

    static double read(MemorySegment s, DType t, long i) {
        return switch (t) {
            case FLOAT32 -> s.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            case FLOAT64 -> s.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
            case INT32 -> s.getAtIndex(ValueLayout.JAVA_INT, i);
            case INT64 -> s.getAtIndex(ValueLayout.JAVA_LONG, i);
            case UINT8 -> Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, i));
            case BOOL -> s.get(ValueLayout.JAVA_BYTE, i) != 0 ? 1 : 0;
        };
    }

    static long readLong(MemorySegment s, DType t, long i) {
        return switch (t) {
            case FLOAT32 -> (long) s.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            case FLOAT64 -> (long) s.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
            case INT32 -> s.getAtIndex(ValueLayout.JAVA_INT, i);
            case INT64 -> s.getAtIndex(ValueLayout.JAVA_LONG, i);
            case UINT8 -> Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, i));
            case BOOL -> s.get(ValueLayout.JAVA_BYTE, i) != 0 ? 1 : 0;
        };
    }

    /** Writes {@code v} converted by the rules of {@link Tensor#to(DType)}. */
    static void write(MemorySegment s, DType t, long i, double v) {
        switch (t) {
            case FLOAT32 -> s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v);
            case FLOAT64 -> s.setAtIndex(ValueLayout.JAVA_DOUBLE, i, v);
            case INT32 -> s.setAtIndex(ValueLayout.JAVA_INT, i, (int) v);
            case INT64 -> s.setAtIndex(ValueLayout.JAVA_LONG, i, (long) v);
            case UINT8 -> s.set(ValueLayout.JAVA_BYTE, i, (byte) (int) v);
            case BOOL -> s.set(ValueLayout.JAVA_BYTE, i, v != 0 || Double.isNaN(v) ? (byte) 1 : (byte) 0);
        }
    }

    private static void writeLong(MemorySegment s, DType t, long i, long v) {
        switch (t) {
            case FLOAT32 -> s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v);
            case FLOAT64 -> s.setAtIndex(ValueLayout.JAVA_DOUBLE, i, (double) v);
            case INT32 -> s.setAtIndex(ValueLayout.JAVA_INT, i, (int) v);
            case INT64 -> s.setAtIndex(ValueLayout.JAVA_LONG, i, v);
            case UINT8 -> s.set(ValueLayout.JAVA_BYTE, i, (byte) v);
            case BOOL -> s.set(ValueLayout.JAVA_BYTE, i, v != 0 ? (byte) 1 : (byte) 0);
        }
    }

    /** Element-wise conversion of {@code n} elements (integers travel as long so INT64 stays exact). */
    static void cast(MemorySegment src, DType from, MemorySegment dst, DType to, long n) {
        if (from.isFloatingPoint()) {
            if (to == DType.FLOAT32 && from == DType.FLOAT64) {
                for (long i = 0; i < n; i++) {
                    dst.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) src.getAtIndex(ValueLayout.JAVA_DOUBLE, i));
                }
                return;
            }
            for (long i = 0; i < n; i++) {
                write(dst, to, i, read(src, from, i));
            }
        } else {
            for (long i = 0; i < n; i++) {
                writeLong(dst, to, i, readLong(src, from, i));
            }
        }
    }

    static void fill(MemorySegment s, DType t, long n, double v) {
        switch (t) {
            case FLOAT32 -> {
                float f = (float) v;
                if (Float.floatToRawIntBits(f) == 0) {
                    s.fill((byte) 0);
                } else {
                    for (long i = 0; i < n; i++) {
                        s.setAtIndex(ValueLayout.JAVA_FLOAT, i, f);
                    }
                }
            }
            case FLOAT64 -> {
                for (long i = 0; i < n; i++) {
                    s.setAtIndex(ValueLayout.JAVA_DOUBLE, i, v);
                }
            }
            case INT32 -> {
                int x = (int) v;
                for (long i = 0; i < n; i++) {
                    s.setAtIndex(ValueLayout.JAVA_INT, i, x);
                }
            }
            case INT64 -> {
                long x = (long) v;
                for (long i = 0; i < n; i++) {
                    s.setAtIndex(ValueLayout.JAVA_LONG, i, x);
                }
            }
            case UINT8 -> s.fill((byte) (int) v);
            case BOOL -> s.fill(v != 0 || Double.isNaN(v) ? (byte) 1 : (byte) 0);
        }
    }
}
