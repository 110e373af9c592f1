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
        Scan scan = Scan.of(leaves);
        Device source = scan.device();
        Device target = device != null ? device : source != null ? source : Device.CPU;
        if (leaves.isEmpty()) {
            return RaggedBatch.emptyWithBatchShape(batchShape.length + 1, batchShape.length, target, batchShape);
        }
        long[] sizes = scan.sizes();
        long width = scan.width();
        Tensor ref = scan.ref() != null ? scan.ref() : leaves.get(0);
        long[] trailing = Arrays.copyOfRange(ref.shape(), 1, ref.rank());
        DType dtype = ref.dtype();
        if (!flatten && width == 0) {
            trailing = new long[0];
            dtype = DType.FLOAT32;
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

    /**
     * One pass over the samples (this runs per combine, so it reads each sample once and copies no
     * shapes): their common device, their sizes ({@code min(shape[0], numel)}), the padded width,
     * and the first non-empty sample, whose trailing shape and dtype every later non-empty sample
     * must have (empty samples are not checked).
     */
    private record Scan(Device device, long[] sizes, long width, Tensor ref) {
        static Scan of(List<Tensor> leaves) {
            Device device = null;
            long[] sizes = new long[leaves.size()];
            long width = 0;
            Tensor ref = null;
            for (int i = 0; i < sizes.length; i++) {
                Tensor t = leaves.get(i);
                Device d = t.device();
                if (device == null) {
                    device = d;
                } else if (d != device) {
                    throw new IllegalArgumentException("all samples must be on one device; sample 0 is on " + device
                            + ", sample " + i + " on " + d);
                }
                if (t.rank() == 0) {
                    throw new IllegalArgumentException("sample " + i + " is a scalar; samples need an entry axis (axis 0)");
                }
                long n = Math.min(t.shape(0), t.numel());
                sizes[i] = n;
                width = Math.max(width, n);
                if (n > 0) {
                    if (ref == null) {
                        ref = t;
                    } else if (!sameTrailingShapeAndDType(t, ref)) {
                        long[] trailing = Arrays.copyOfRange(ref.shape(), 1, ref.rank());
                        throw new IllegalArgumentException("sample " + i + " must have trailing shape "
                                + Shapes.format(trailing) + " and dtype " + ref.dtype()
                                + " like the first non-empty sample, got " + Shapes.format(t.shape()) + " " + t.dtype());
                    }
                }
            }
            return new Scan(device, sizes, width, ref);
        }

        private static boolean sameTrailingShapeAndDType(Tensor t, Tensor ref) {
            if (t.rank() != ref.rank() || t.dtype() != ref.dtype()) {
                return false;
            }
            for (int k = 1; k < t.rank(); k++) {
                if (t.shape(k) != ref.shape(k)) {
                    return false;
                }
            }
            return true;
        }
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
}
