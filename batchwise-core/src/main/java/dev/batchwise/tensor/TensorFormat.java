package dev.batchwise.tensor;

import java.lang.foreign.MemorySegment;

/** NumPy-like text of tensor values for {@link Tensor#toString()}. */
final class TensorFormat {
    private static final long SUMMARY_THRESHOLD = 1000;
    private static final int EDGE_ITEMS = 3;

    private TensorFormat() {}

    static String format(MemorySegment seg, DType dtype, long[] shape) {
        boolean summarize = Shapes.numel(shape) > SUMMARY_THRESHOLD;
        StringBuilder sb = new StringBuilder();
        append(sb, seg, dtype, shape, 0, 0, summarize);
        return sb.toString();
    }

    private static void append(StringBuilder sb, MemorySegment seg, DType dtype, long[] shape, int axis, long base,
                               boolean summarize) {
        if (axis == shape.length) {
            sb.append(element(seg, dtype, base));
            return;
        }
        long n = shape[axis];
        long stride = Shapes.numel(shape, axis + 1, shape.length);
        sb.append('[');
        for (long i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE_ITEMS && i == EDGE_ITEMS) {
                sb.append("...");
                i = n - EDGE_ITEMS - 1;
                sb.append(axis == shape.length - 1 ? ", " : ",\n" + " ".repeat(axis + 1));
                continue;
            }
            append(sb, seg, dtype, shape, axis + 1, base + i * stride, summarize);
            if (i < n - 1) {
                sb.append(axis == shape.length - 1 ? ", " : ",\n" + " ".repeat(axis + 1));
            }
        }
        sb.append(']');
    }

    private static String element(MemorySegment seg, DType dtype, long i) {
        return switch (dtype) {
            case FLOAT32 -> Float.toString((float) CpuTensorOps.read(seg, dtype, i));
            case FLOAT64 -> Double.toString(CpuTensorOps.read(seg, dtype, i));
            case BOOL -> CpuTensorOps.readLong(seg, dtype, i) != 0 ? "true" : "false";
            default -> Long.toString(CpuTensorOps.readLong(seg, dtype, i));
        };
    }
}
