package dev.batchwise.cuda;

import dev.batchwise.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One kernel ({@code CUfunction}) of a {@link CudaModule}, launched with a typed builder that
 * assembles {@code cuLaunchKernel}'s {@code void** kernelParams} for you:
 *
 * <pre>{@code
 * CudaKernel k = CudaModule.load(device, "tensor").function("bw_fill_u64");
 * k.launch(CudaStream.current(device))
 *  .block(256).gridFor(n)          // ceil(n / 256) blocks
 *  .ptr(out).i64(n).i64(bits)      // in the order of the kernel's parameters
 *  .run();                         // enqueues; never waits
 * }</pre>
 *
 * <p>Arguments must match the kernel's C parameter types exactly: {@link Launch#ptr} for any
 * pointer, {@link Launch#i32} for {@code int}/{@code unsigned}, {@link Launch#i64} for
 * {@code long long}, {@link Launch#f32} for {@code float}, {@link Launch#f64} for {@code double}.
 * The driver cannot check this; a mismatch reads garbage.
 *
 * <p>Small tables (per-sample pointers and sizes, shapes and strides) can travel by value with
 * {@link Launch#words}: the driver copies the parameter block at launch time, so no device buffer,
 * host-to-device copy or lifetime bookkeeping is needed for them.
 *
 * <p>The builder is a per-thread object reused by every launch on that thread (no allocation per
 * launch): finish one launch with {@link Launch#run()} before starting the next.
 */
public final class CudaKernel {
    /** Most parameters a kernel may take through this builder. */
    public static final int MAX_PARAMETERS = 64;
    /**
     * Most bytes all parameters of one launch may occupy together: the 4 KiB that
     * {@code cuLaunchKernel} accepts on every supported GPU (each scalar or pointer takes 8).
     */
    public static final int MAX_PARAMETER_BYTES = 4096;

    private static final ThreadLocal<Launch> BUILDER = ThreadLocal.withInitial(Launch::new);

    private final CudaDevice device;
    private final String name;
    private final long function;

    CudaKernel(CudaDevice device, String name, long function) {
        this.device = device;
        this.name = name;
        this.function = function;
    }

    /** {@code "module.function"}. */
    public String name() {
        return name;
    }

    /** The raw {@code CUfunction} handle. */
    public long handle() {
        return function;
    }

    /**
     * Starts a launch on {@code stream} with grid and block 1×1×1, no dynamic shared memory and no
     * arguments.
     *
     * @throws IllegalArgumentException when the stream belongs to another device than the kernel
     */
    public Launch launch(CudaStream stream) {
        if (stream.cudaDevice() != device) {
            throw new IllegalArgumentException("kernel " + name + " is loaded on cuda:" + device.ordinal()
                    + " but the stream is on " + stream.device());
        }
        return BUILDER.get().reset(this, stream);
    }

    /**
     * The per-thread launch builder: grid, block, shared memory and the argument list. Each
     * argument is written into an 8-byte slot of a native buffer whose slot addresses form the
     * fixed {@code void*} array passed to {@code cuLaunchKernel}.
     */
    public static final class Launch {
        private final MemorySegment values;
        private final MemorySegment params;
        private final long valuesAddress;
        private final long paramsAddress;
        private CudaKernel kernel;
        private CudaStream stream;
        private int gx, gy, gz, bx, by, bz, shared, count;
        /** Bytes of {@link #values} in use. */
        private long used;

        private Launch() {
            Arena arena = Arena.ofAuto();
            values = arena.allocate(MAX_PARAMETER_BYTES, 16);
            params = arena.allocate(8L * MAX_PARAMETERS, 16);
            valuesAddress = values.address();
            paramsAddress = params.address();
        }

        private Launch reset(CudaKernel k, CudaStream s) {
            kernel = k;
            stream = s;
            gx = gy = gz = bx = by = bz = 1;
            shared = 0;
            count = 0;
            used = 0;
            return this;
        }

        /** Grid of {@code x} blocks. */
        public Launch grid(int x) {
            return grid(x, 1, 1);
        }

        /** Grid of {@code x × y × z} blocks. */
        public Launch grid(int x, int y, int z) {
            gx = x;
            gy = y;
            gz = z;
            return this;
        }

        /**
         * One-dimensional grid with enough blocks of the current block size (set {@link #block}
         * first) for {@code threads} threads: {@code ceil(threads / blockX)}, at least 1.
         *
         * @throws IllegalArgumentException when that exceeds 2^31 - 1 blocks
         */
        public Launch gridFor(long threads) {
            long blocks = Math.max(1, (threads + bx - 1) / bx);
            if (blocks > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(threads + " threads need more than 2^31-1 blocks of " + bx);
            }
            return grid((int) blocks, 1, 1);
        }

        /** Blocks of {@code x} threads. */
        public Launch block(int x) {
            return block(x, 1, 1);
        }

        /** Blocks of {@code x × y × z} threads. */
        public Launch block(int x, int y, int z) {
            bx = x;
            by = y;
            bz = z;
            return this;
        }

        /** Dynamic shared memory per block, in bytes. */
        public Launch sharedMemory(int bytes) {
            shared = bytes;
            return this;
        }

        /**
         * A pointer argument: the tensor's {@link Tensor#devicePointer()}.
         *
         * @throws IllegalArgumentException when the tensor is on another device than the stream
         */
        public Launch ptr(Tensor tensor) {
            if (tensor.device() != stream.device()) {
                throw new IllegalArgumentException("kernel " + kernel.name + " launched on " + stream.device()
                        + " got a tensor on " + tensor.device());
            }
            return i64(tensor.devicePointer());
        }

        /** A pointer argument given as a raw device address. */
        public Launch ptr(long devicePointer) {
            return i64(devicePointer);
        }

        /** An {@code int} (or {@code unsigned int}) argument. */
        public Launch i32(int value) {
            values.set(ValueLayout.JAVA_INT, slot(8), value);
            return this;
        }

        /** A {@code long long} (or {@code size_t}, or pointer) argument. */
        public Launch i64(long value) {
            values.set(ValueLayout.JAVA_LONG, slot(8), value);
            return this;
        }

        /** A {@code float} argument. */
        public Launch f32(float value) {
            values.set(ValueLayout.JAVA_FLOAT, slot(8), value);
            return this;
        }

        /** A {@code double} argument. */
        public Launch f64(double value) {
            values.set(ValueLayout.JAVA_DOUBLE, slot(8), value);
            return this;
        }

        /**
         * One parameter passed by value that consists of {@code count} consecutive 64-bit words,
         * {@code words[0 .. count)}: a C struct whose members are all 8 bytes wide
         * ({@code long long}, {@code double}, pointers) or an array of them, e.g.
         * {@code struct Table { long long n; const float* src[32]; long long size[32]; }} with
         * {@code n} at word 0, {@code src} at words 1..32 and {@code size} at words 33..64. The
         * kernel should declare it {@code const __grid_constant__} so that it reads the table in
         * place instead of copying it per thread. The values are copied now; {@code words} may be
         * reused at once.
         *
         * @throws IllegalArgumentException when the launch's parameters would exceed
         *                                  {@link #MAX_PARAMETER_BYTES}, or for a bad range
         */
        public Launch words(long[] words, int count) {
            if (count < 1 || count > words.length) {
                throw new IllegalArgumentException("count must be in [1, " + words.length + "], got " + count);
            }
            long off = slot(8L * count);
            MemorySegment.copy(words, 0, values, ValueLayout.JAVA_LONG, off, count);
            return this;
        }

        /** Reserves {@code bytes} (a multiple of 8) for the next parameter and points it there. */
        private long slot(long bytes) {
            if (count == MAX_PARAMETERS) {
                throw new IllegalArgumentException("kernel " + kernel.name + ": more than " + MAX_PARAMETERS
                        + " parameters");
            }
            long off = used;
            if (off + bytes > MAX_PARAMETER_BYTES) {
                throw new IllegalArgumentException("kernel " + kernel.name + ": parameters of more than "
                        + MAX_PARAMETER_BYTES + " bytes");
            }
            used = off + bytes;
            params.setAtIndex(ValueLayout.JAVA_LONG, count++, valuesAddress + off);
            return off;
        }

        /**
         * Enqueues the kernel on the stream ({@code cuLaunchKernel}) and returns at once.
         *
         * @throws CudaException for an invalid configuration (e.g. {@code CUDA_ERROR_INVALID_VALUE}
         *                       for a block of more than 1024 threads); errors inside the kernel
         *                       surface at a later synchronisation
         */
        public void run() {
            CudaKernel k = kernel;
            if (k == null) {
                throw new IllegalStateException("launch() was not called, or run() was called twice");
            }
            kernel = null;
            k.device.makeCurrent();
            CudaDriver.launchKernel(k.function, gx, gy, gz, bx, by, bz, shared, stream.handle(), paramsAddress, k.name);
        }
    }
}
