package dev.batchwise.ragged;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Shapes;
import dev.batchwise.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/** {@code combine}: per-sample tensors (possibly nested in lists) packed into one padded batch. */
final class Combine {
    private Combine() {}

    static RaggedBatch combine(List<?> data, RaggedBatch sameSizes, Device device, boolean flatten) {
        if (data == null || data.isEmpty()) {
            throw new IllegalArgumentException("combine needs a non-empty list of samples");
        }
        List<Tensor> leaves;
        long[] batchShape;
        if (flatten) {
            leaves = flatTensors(data);
            batchShape = new long[] {leaves.size()};
        } else {
            leaves = new ArrayList<>();
            List<Long> levels = new ArrayList<>();
            shapeOf(data, levels);
            collectRectangular(data, levels, 0, leaves);
            batchShape = levels.stream().mapToLong(Long::longValue).toArray();
        }
        Device source = commonDevice(leaves);
        Device target = device != null ? device : source != null ? source : Device.CPU;
        if (leaves.isEmpty()) {
            return RaggedBatch.emptyWithBatchShape(batchShape.length + 1, batchShape.length, target, batchShape);
        }
        long[] sizes = new long[leaves.size()];
        Tensor ref = null;
        long width = 0;
        for (int i = 0; i < sizes.length; i++) {
            Tensor t = leaves.get(i);
            if (t.rank() == 0) {
                throw new IllegalArgumentException("sample " + i + " is a scalar; samples need an entry axis (axis 0)");
            }
            sizes[i] = Math.min(t.shape(0), t.numel());
            width = Math.max(width, sizes[i]);
            if (ref == null && sizes[i] > 0) {
                ref = t;
            }
        }
        if (ref == null) {
            ref = leaves.get(0);
        }
        long[] trailing = Arrays.copyOfRange(ref.shape(), 1, ref.rank());
        DType dtype = ref.dtype();
        if (!flatten && width == 0) {
            trailing = new long[0];
            dtype = DType.FLOAT32;
        }
        for (int i = 0; i < sizes.length; i++) {
            Tensor t = leaves.get(i);
            if (sizes[i] == 0) {
                continue;
            }
            if (t == ref) {
                continue;
            }
            if (!hasTrailingShape(t, trailing) || t.dtype() != dtype) {
                throw new IllegalArgumentException("sample " + i + " must have trailing shape " + Shapes.format(trailing)
                        + " and dtype " + dtype + " like the first non-empty sample, got " + Shapes.format(t.shape())
                        + " " + t.dtype());
            }
        }
        long post = Shapes.numel(trailing);
        Device work = source == null ? Device.CPU : source;
        // every element of out is written by the kernel (samples, then zeros): no fill first
        Tensor out = Tensor.empty(dtype, work, Shapes.concat(new long[] {leaves.size(), width}, trailing));
        boolean sizesHere = sameSizes == null && work == target;
        Tensor sz = sizesHere ? Tensor.empty(DType.INT64, work, batchShape) : null;
        RaggedKernels.of(work).combine(leaves, sizes, out, width, post, sz);
        // one batch axis (the flat case): out already has the batch's shape
        Tensor shaped = (batchShape.length == 1 ? out : out.reshape(Shapes.concat(Shapes.concat(batchShape, width),
                trailing))).to(target);
        int rd = batchShape.length;
        if (sameSizes != null) {
            if (!Arrays.equals(sameSizes.batchShape(), batchShape)) {
                throw new IllegalArgumentException("sameSizes must have batch shape " + Shapes.format(batchShape) + ", got "
                        + Shapes.format(sameSizes.batchShape()));
            }
            SampleStructure st = sameSizes.maxSampleSize() == width ? sameSizes.structure().to(target)
                    : SampleStructure.ofSizes(batchShape, width, sameSizes.sampleSizes().to(target));
            return new RaggedBatch(shaped, rd, rd, st);
        }
        if (sz == null) {
            sz = Tensor.of(sizes).reshape(batchShape).to(target);
        }
        return new RaggedBatch(shaped, rd, rd, SampleStructure.ofSizes(batchShape, width, sz));
    }

    /** {@code t.shape()[1..] == trailing}, without copying shapes (this runs once per sample). */
    private static boolean hasTrailingShape(Tensor t, long[] trailing) {
        if (t.rank() != trailing.length + 1) {
            return false;
        }
        for (int k = 0; k < trailing.length; k++) {
            if (t.shape(k + 1) != trailing[k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The tensors of a nesting flattened depth-first; a random-access list holding only tensors
     * (the common case) is used as it is, without a copy.
     */
    @SuppressWarnings("unchecked")
    private static List<Tensor> flatTensors(List<?> data) {
        for (Object o : data) {
            if (!(o instanceof Tensor) || !(data instanceof RandomAccess)) {
                List<Tensor> leaves = new ArrayList<>();
                flattenInto(data, leaves);
                return leaves;
            }
        }
        return (List<Tensor>) data;
    }

    private static void flattenInto(List<?> list, List<Tensor> out) {
        for (Object o : list) {
            if (o instanceof Tensor t) {
                out.add(t);
            } else if (o instanceof List<?> l) {
                flattenInto(l, out);
            } else {
                throw new IllegalArgumentException("combine accepts tensors and lists of them, got "
                        + (o == null ? "null" : o.getClass().getSimpleName()));
            }
        }
    }

    /** Records the list length of every nesting level along the first path. */
    private static void shapeOf(Object o, List<Long> levels) {
        if (o instanceof List<?> l) {
            levels.add((long) l.size());
            if (!l.isEmpty()) {
                shapeOf(l.get(0), levels);
            }
        }
    }

    private static void collectRectangular(Object o, List<Long> levels, int level, List<Tensor> out) {
        if (level == levels.size()) {
            if (o instanceof Tensor t) {
                out.add(t);
                return;
            }
            throw new IllegalArgumentException("nested samples must all have the same depth (" + levels.size()
                    + " levels); found " + (o == null ? "null" : o.getClass().getSimpleName()) + " at level " + level);
        }
        if (!(o instanceof List<?> l)) {
            throw new IllegalArgumentException("nested samples must all have the same depth (" + levels.size()
                    + " levels); found " + (o == null ? "null" : o.getClass().getSimpleName()) + " at level " + level);
        }
        if (l.size() != levels.get(level)) {
            throw new IllegalArgumentException("lists on nesting level " + level + " must all have length "
                    + levels.get(level) + ", found one of length " + l.size());
        }
        for (Object e : l) {
            collectRectangular(e, levels, level + 1, out);
        }
    }

    private static Device commonDevice(List<Tensor> leaves) {
        Device d = null;
        for (int i = 0; i < leaves.size(); i++) {
            Device x = leaves.get(i).device();
            if (d == null) {
                d = x;
            } else if (x != d) {
                throw new IllegalArgumentException("all samples must be on one device; sample 0 is on " + d
                        + ", sample " + i + " on " + x);
            }
        }
        return d;
    }
}
