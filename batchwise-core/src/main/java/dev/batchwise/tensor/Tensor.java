package dev.batchwise.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * A dense, row-major, contiguous n-dimensional array on the CPU or a CUDA GPU.
 *
 * <p>Memory is off-heap. Its lifetime is explicit: the innermost open {@link Scope} of the
 * creating thread owns it and frees it on close; {@link #close()} frees it at once; a cleaner
 * frees unreachable, unowned tensors as a safety net only. Views ({@link #reshape}, {@link #narrow},
 * {@link #select}) share memory with their base tensor, so closing either invalidates both; any
 * later access throws {@link IllegalStateException}.
 *
 * <p>GPU work is asynchronous: operations enqueue on the device's current stream and return.
 * Copies to the host ({@code toFloatArray()}, {@code to(Device.CPU)}, {@link #toString()}) wait for
 * the work that produced the data.
 *
 * <pre>{@code
 * try (Scope scope = Scope.open()) {
 *     Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);   // (2, 3) float32 on the CPU
 *     Tensor row = x.select(0, 1);                                    // view (3,) = [4, 5, 6]
 *     Tensor g = x.to(Device.best()).to(DType.FLOAT64);               // copy to the GPU if present
 *     double[] back = g.toDoubleArray();                              // {1, 2, 3, 4, 5, 6}
 * }
 * }</pre>
 */
public final class Tensor implements AutoCloseable {
    private final Storage storage;
    private final long offset; // in elements
    private final long[] shape;
    private final long numel;
    private final DType dtype;

    private Tensor(Storage storage, long offset, long[] shape, DType dtype) {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.numel = Shapes.numel(shape);
        this.dtype = dtype;
    }

    // ------------------------------------------------------------------ factories

    /** Uninitialised tensor (contents unspecified). */
    public static Tensor empty(DType dtype, Device device, long... shape) {
        return allocate(dtype, device, shape, false);
    }

    /** Tensor filled with zeros (false for BOOL). */
    public static Tensor zeros(DType dtype, Device device, long... shape) {
        return allocate(dtype, device, shape, true);
    }

    /** Tensor filled with {@code value} converted to {@code dtype} (see {@link #to(DType)} for the rules). */
    public static Tensor full(double value, DType dtype, Device device, long... shape) {
        Tensor t = allocate(dtype, device, shape, false);
        t.fillInPlace(value);
        return t;
    }

    /** Tensor filled with ones. */
    public static Tensor ones(DType dtype, Device device, long... shape) {
        return full(1.0, dtype, device, shape);
    }

    private static Tensor allocate(DType dtype, Device device, long[] shape, boolean zero) {
        if (dtype == null || device == null) {
            throw new IllegalArgumentException("dtype and device must not be null");
        }
        long[] s = shape.clone();
        long n = Shapes.numel(s);
        if (n > Long.MAX_VALUE / dtype.byteSize()) {
            throw new IllegalArgumentException("shape " + Shapes.format(s) + " of " + dtype + " needs more than "
                    + Long.MAX_VALUE + " bytes");
        }
        long bytes = n * dtype.byteSize();
        Storage st = device.isCpu() ? CpuStorage.allocate(bytes, zero) : CudaTensors.allocate(device, bytes, zero);
        return new Tensor(st, 0, s, dtype);
    }

    /** FLOAT32 CPU tensor holding a copy of {@code data}; no shape means 1-D. */
    public static Tensor of(float[] data, long... shape) {
        Tensor t = fromArray(DType.FLOAT32, data.length, shape);
        MemorySegment.copy(data, 0, t.cpuSegment(), ValueLayout.JAVA_FLOAT, 0, data.length);
        return t;
    }

    /** FLOAT64 CPU tensor holding a copy of {@code data}; no shape means 1-D. */
    public static Tensor of(double[] data, long... shape) {
        Tensor t = fromArray(DType.FLOAT64, data.length, shape);
        MemorySegment.copy(data, 0, t.cpuSegment(), ValueLayout.JAVA_DOUBLE, 0, data.length);
        return t;
    }

    /** INT32 CPU tensor holding a copy of {@code data}; no shape means 1-D. */
    public static Tensor of(int[] data, long... shape) {
        Tensor t = fromArray(DType.INT32, data.length, shape);
        MemorySegment.copy(data, 0, t.cpuSegment(), ValueLayout.JAVA_INT, 0, data.length);
        return t;
    }

    /** INT64 CPU tensor holding a copy of {@code data}; no shape means 1-D. */
    public static Tensor of(long[] data, long... shape) {
        Tensor t = fromArray(DType.INT64, data.length, shape);
        MemorySegment.copy(data, 0, t.cpuSegment(), ValueLayout.JAVA_LONG, 0, data.length);
        return t;
    }

    /** UINT8 CPU tensor holding a copy of {@code data} (bytes read as unsigned); no shape means 1-D. */
    public static Tensor ofUint8(byte[] data, long... shape) {
        Tensor t = fromArray(DType.UINT8, data.length, shape);
        MemorySegment.copy(data, 0, t.cpuSegment(), ValueLayout.JAVA_BYTE, 0, data.length);
        return t;
    }

    /** BOOL CPU tensor holding a copy of {@code data}; no shape means 1-D. */
    public static Tensor of(boolean[] data, long... shape) {
        Tensor t = fromArray(DType.BOOL, data.length, shape);
        MemorySegment seg = t.cpuSegment();
        for (int i = 0; i < data.length; i++) {
            seg.set(ValueLayout.JAVA_BYTE, i, data[i] ? (byte) 1 : (byte) 0);
        }
        return t;
    }

    private static Tensor fromArray(DType dtype, int length, long[] shape) {
        long[] s = shape.length == 0 ? new long[] {length} : shape;
        long n = Shapes.numel(s);
        if (n != length) {
            throw new IllegalArgumentException("data has " + length + " elements but shape "
                    + Shapes.format(s) + " needs " + n);
        }
        return allocate(dtype, Device.CPU, s, false);
    }

    // ------------------------------------------------------------------ properties

    /** A copy of the shape. */
    public long[] shape() {
        return shape.clone();
    }

    /** Extent of {@code axis} (negative counts from the end). */
    public long shape(int axis) {
        return shape[Shapes.axis(axis, shape.length)];
    }

    /** Number of axes. */
    public int rank() {
        return shape.length;
    }

    /** Number of elements. */
    public long numel() {
        return numel;
    }

    /** Element type. */
    public DType dtype() {
        return dtype;
    }

    /** Device holding the memory. */
    public Device device() {
        return storage.device();
    }

    /** Bytes of this tensor's elements ({@code numel * dtype.byteSize()}). */
    public long byteSize() {
        return numel * dtype.byteSize();
    }

    /** True once this tensor's memory was freed (by {@link #close()} or its scope). */
    public boolean isClosed() {
        return storage.isFreed();
    }

    /** True when {@code other} shares this tensor's memory (one is a view of the other, or both of a third). */
    public boolean sharesMemoryWith(Tensor other) {
        return storage == other.storage;
    }

    Storage storage() {
        return storage;
    }

    /** Offset of the first element within the storage, in bytes. */
    long byteOffset() {
        return offset * dtype.byteSize();
    }

    /**
     * The memory of this tensor's elements as a segment (CPU tensors only), {@link #byteSize()} long.
     * For implementations of operations; valid until the tensor is freed.
     *
     * @throws IllegalStateException for a GPU tensor or a freed tensor
     */
    public MemorySegment cpuSegment() {
        if (!device().isCpu()) {
            throw new IllegalStateException("cpuSegment() needs a CPU tensor, this one is on " + device());
        }
        return ((CpuStorage) storage).segment().asSlice(byteOffset(), byteSize());
    }

    /**
     * Device address of the first element (CUDA tensors only). For kernel launches.
     *
     * @throws IllegalStateException for a CPU tensor or a freed tensor
     */
    public long devicePointer() {
        if (!device().isCuda()) {
            throw new IllegalStateException("devicePointer() needs a CUDA tensor, this one is on " + device());
        }
        return storage.address() + byteOffset();
    }

    // ------------------------------------------------------------------ views

    /**
     * A view with a new shape and the same elements in the same order. One extent may be
     * {@code -1} and is inferred.
     *
     * @throws IllegalArgumentException if the element counts differ
     */
    public Tensor reshape(long... newShape) {
        storage.checkLive();
        long[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("only one extent may be -1, got " + Shapes.format(newShape));
                }
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("extents must be >= 0 or -1, got " + Shapes.format(newShape));
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + Shapes.format(shape) + " ("
                        + numel + " elements) to " + Shapes.format(newShape));
            }
            s[infer] = numel / known;
        }
        if (Shapes.numel(s) != numel) {
            throw new IllegalArgumentException("cannot reshape " + Shapes.format(shape) + " (" + numel
                    + " elements) to " + Shapes.format(newShape));
        }
        return new Tensor(storage, offset, s, dtype);
    }

    /**
     * A view of {@code length} consecutive entries along {@code axis}, starting at {@code start}.
     * Only possible when the result is contiguous: {@code axis} is 0 or every axis before it has
     * extent 1 (for other axes use {@link #slice}, which copies).
     *
     * @throws IllegalArgumentException if out of range or the view would not be contiguous
     */
    public Tensor narrow(int axis, long start, long length) {
        storage.checkLive();
        int a = Shapes.axis(axis, shape.length);
        checkRange(a, start, length);
        if (Shapes.numel(shape, 0, a) != 1 && length != shape[a]) {
            throw new IllegalArgumentException("narrow along axis " + a + " of shape " + Shapes.format(shape)
                    + " would not be contiguous; only leading axes can be narrowed as views (use slice to copy)");
        }
        long[] s = shape.clone();
        s[a] = length;
        return new Tensor(storage, offset + start * Shapes.numel(shape, a + 1, shape.length), s, dtype);
    }

    /**
     * A copy of {@code length} consecutive entries along any {@code axis}, starting at {@code start}.
     */
    public Tensor slice(int axis, long start, long length) {
        storage.checkLive();
        int a = Shapes.axis(axis, shape.length);
        checkRange(a, start, length);
        long[] s = shape.clone();
        s[a] = length;
        Tensor out = empty(dtype, device(), s);
        long inner = Shapes.numel(shape, a + 1, shape.length) * dtype.byteSize();
        copyRows(this, byteOffset() + start * inner, shape[a] * inner,
                out, out.byteOffset(), length * inner, length * inner, Shapes.numel(shape, 0, a));
        return out;
    }

    /**
     * The view at {@code index} along {@code axis}, with that axis removed. Only possible when
     * {@code axis} is 0 or every axis before it has extent 1.
     */
    public Tensor select(int axis, long index) {
        storage.checkLive();
        int a = Shapes.axis(axis, shape.length);
        if (index < 0 || index >= shape[a]) {
            throw new IndexOutOfBoundsException("index " + index + " is out of range for axis " + a
                    + " of shape " + Shapes.format(shape));
        }
        if (Shapes.numel(shape, 0, a) != 1 && shape[a] != 1) {
            throw new IllegalArgumentException("select along axis " + a + " of shape " + Shapes.format(shape)
                    + " would not be contiguous; only leading axes can be selected as views (use slice to copy)");
        }
        Tensor n = narrow(a, index, 1);
        long[] s = new long[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != a) {
                s[j++] = shape[i];
            }
        }
        return new Tensor(storage, n.offset, s, dtype);
    }

    private void checkRange(int a, long start, long length) {
        if (start < 0 || length < 0 || start + length > shape[a]) {
            throw new IllegalArgumentException("range [" + start + ", " + (start + length) + ") is out of bounds for axis "
                    + a + " of shape " + Shapes.format(shape));
        }
    }

    // ------------------------------------------------------------------ copies and conversions

    /**
     * This tensor on {@code target}: {@code this} when already there, otherwise a copy (a GPU→CPU
     * copy waits for pending GPU work).
     */
    public Tensor to(Device target) {
        storage.checkLive();
        if (target == device()) {
            return this;
        }
        Tensor out = empty(dtype, target, shape);
        out.copyFrom(this);
        return out;
    }

    /**
     * This tensor converted to {@code target}: {@code this} when already of that type, otherwise a
     * new tensor on the same device. Conversion rules (as NumPy's {@code astype} with C casts):
     * float→integer truncates toward zero and saturates at the target's range (NaN → 0);
     * integer→narrower integer keeps the low bits; float→UINT8 truncates to int32 then keeps the
     * low 8 bits; anything→BOOL is {@code value != 0} (NaN → true); BOOL→number is 0 or 1.
     */
    public Tensor to(DType target) {
        storage.checkLive();
        if (target == dtype) {
            return this;
        }
        Tensor out = empty(target, device(), shape);
        if (device().isCpu()) {
            CpuTensorOps.cast(cpuSegment(), dtype, out.cpuSegment(), target, numel);
        } else {
            CudaTensors.cast(this, out);
        }
        return out;
    }

    /**
     * {@code to(device).to(dtype)}, converting on whichever side avoids an extra copy; the
     * intermediate tensor (if any) is freed at once. Returns {@code this} when nothing changes.
     */
    public Tensor to(Device target, DType targetType) {
        Tensor mid = target.isCpu() ? to(target) : to(targetType);
        Tensor out = target.isCpu() ? mid.to(targetType) : mid.to(target);
        if (mid != this && mid != out) {
            mid.close();
        }
        return out;
    }

    /** A deep copy on the same device. */
    public Tensor copy() {
        storage.checkLive();
        Tensor out = empty(dtype, device(), shape);
        out.copyFrom(this);
        return out;
    }

    /**
     * Copies {@code src}'s elements into this tensor (modifies this). Devices may differ.
     *
     * @throws IllegalArgumentException unless shapes and dtypes are equal
     */
    public Tensor copyFrom(Tensor src) {
        TensorChecks.requireSameShape(this, "destination", src, "source");
        if (src.dtype != dtype) {
            throw new IllegalArgumentException("source must have dtype " + dtype + ", got " + src.dtype
                    + " (convert with to(DType) first)");
        }
        copyRows(src, src.byteOffset(), 0, this, byteOffset(), 0, byteSize(), 1);
        return this;
    }

    /**
     * Copies {@code rows} rows of {@code widthBytes} bytes, row {@code r} from
     * {@code src[srcOffset + r*srcPitch]} to {@code dst[dstOffset + r*dstPitch]} (byte offsets in
     * the storages), between any devices.
     */
    static void copyRows(Tensor src, long srcOffset, long srcPitch, Tensor dst, long dstOffset, long dstPitch,
                         long widthBytes, long rows) {
        if (widthBytes == 0 || rows == 0) {
            src.storage.checkLive();
            dst.storage.checkLive();
            return;
        }
        if (src.device().isCpu() && dst.device().isCpu()) {
            MemorySegment s = ((CpuStorage) src.storage).segment();
            MemorySegment d = ((CpuStorage) dst.storage).segment();
            for (long r = 0; r < rows; r++) {
                MemorySegment.copy(s, srcOffset + r * srcPitch, d, dstOffset + r * dstPitch, widthBytes);
            }
        } else {
            CudaTensors.copyRows(src.storage, srcOffset, srcPitch, dst.storage, dstOffset, dstPitch, widthBytes, rows);
        }
    }

    /** Sets every element to {@code value} converted to this dtype (modifies this). */
    public Tensor fillInPlace(double value) {
        if (device().isCpu()) {
            CpuTensorOps.fill(cpuSegment(), dtype, numel, value);
        } else {
            CudaTensors.fill(this, value);
        }
        return this;
    }

    /** The elements converted to float, row-major (copies from the GPU, waiting for it). */
    public float[] toFloatArray() {
        return onHost(DType.FLOAT32, seg -> seg.toArray(ValueLayout.JAVA_FLOAT));
    }

    /** The elements converted to double, row-major. */
    public double[] toDoubleArray() {
        return onHost(DType.FLOAT64, seg -> seg.toArray(ValueLayout.JAVA_DOUBLE));
    }

    /** The elements converted to int, row-major. */
    public int[] toIntArray() {
        return onHost(DType.INT32, seg -> seg.toArray(ValueLayout.JAVA_INT));
    }

    /** The elements converted to long, row-major. */
    public long[] toLongArray() {
        return onHost(DType.INT64, seg -> seg.toArray(ValueLayout.JAVA_LONG));
    }

    /** The elements converted to UINT8, as (signed Java) bytes, row-major. */
    public byte[] toByteArray() {
        return onHost(DType.UINT8, seg -> seg.toArray(ValueLayout.JAVA_BYTE));
    }

    /** The elements converted to BOOL, row-major. */
    public boolean[] toBooleanArray() {
        byte[] b = onHost(DType.BOOL, seg -> seg.toArray(ValueLayout.JAVA_BYTE));
        boolean[] r = new boolean[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[i] != 0;
        }
        return r;
    }

    /** Applies {@code read} to a host copy of this tensor converted to {@code type}; temporaries are freed. */
    private <R> R onHost(DType type, java.util.function.Function<MemorySegment, R> read) {
        if (numel > Integer.MAX_VALUE) {
            throw new IllegalStateException("tensor has " + numel + " elements, too many for a Java array");
        }
        try (Scope s = Scope.open()) {
            return read.apply(to(Device.CPU, type).cpuSegment());
        }
    }

    // ------------------------------------------------------------------ element access (CPU)

    /** The element at {@code index} as a double (CPU tensors). */
    public double getDouble(long... index) {
        return CpuTensorOps.read(requireCpu("getDouble").cpuSegment(), dtype, flatIndex(index));
    }

    /** The element at {@code index} as a long (CPU tensors; floats are truncated). */
    public long getLong(long... index) {
        return CpuTensorOps.readLong(requireCpu("getLong").cpuSegment(), dtype, flatIndex(index));
    }

    /** Sets the element at {@code index} (CPU tensors; modifies this). */
    public Tensor set(double value, long... index) {
        CpuTensorOps.write(requireCpu("set").cpuSegment(), dtype, flatIndex(index), value);
        return this;
    }

    private Tensor requireCpu(String what) {
        if (!device().isCpu()) {
            throw new IllegalStateException(what + " needs a CPU tensor, this one is on " + device()
                    + "; copy it with to(Device.CPU) first");
        }
        return this;
    }

    private long flatIndex(long[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index has " + index.length + " coordinates, tensor rank is " + shape.length);
        }
        long flat = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " is out of bounds for shape "
                        + Shapes.format(shape));
            }
            flat = flat * shape[i] + index[i];
        }
        return flat;
    }

    // ------------------------------------------------------------------ lifetime and text

    /**
     * Frees this tensor's memory now (and with it every view sharing it). Idempotent. GPU memory
     * is returned in stream order, so pending kernels that use it still complete correctly.
     */
    @Override
    public void close() {
        storage.free();
    }

    /**
     * {@code Tensor(shape=(2, 3), dtype=float32, device=cpu)} followed by the values, NumPy-style,
     * abbreviated with "..." beyond 3 leading and trailing entries per axis when the tensor has
     * more than 1000 elements. Copies GPU data to the host.
     */
    @Override
    public String toString() {
        String head = "Tensor(shape=" + Shapes.format(shape) + ", dtype=" + dtype + ", device=" + device() + ")";
        if (isClosed()) {
            return head + " <freed>";
        }
        try (Scope s = Scope.open()) {
            Tensor host = to(Device.CPU);
            return head + "\n" + TensorFormat.format(host.cpuSegment(), dtype, shape);
        }
    }
}
