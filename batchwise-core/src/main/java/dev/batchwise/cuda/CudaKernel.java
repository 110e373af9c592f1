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
 * <p>The builder is a per-thread object reused by every launch on that thread (no allocation per
 * launch): finish one launch with {@link Launch#run()} before starting the next.
 */
public final class CudaKernel {
    /** Most parameters a kernel may take through this builder. */
    public static final int MAX_PARAMETERS = 64;

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
        private final long paramsAddress;
        private CudaKernel kernel;
        private CudaStream stream;
        private int gx, gy, gz, bx, by, bz, shared, count;

        private Launch() {
            Arena arena = Arena.ofAuto();
            values = arena.allocate(8L * MAX_PARAMETERS, 16);
            MemorySegment params = arena.allocate(8L * MAX_PARAMETERS, 16);
            for (int i = 0; i < MAX_PARAMETERS; i++) {
                params.setAtIndex(ValueLayout.JAVA_LONG, i, values.address() + 8L * i);
            }
            paramsAddress = params.address();
        }

        private Launch reset(CudaKernel k, CudaStream s) {
            kernel = k;
            stream = s;
            gx = gy = gz = bx = by = bz = 1;
            shared = 0;
            count = 0;
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
            values.set(ValueLayout.JAVA_INT, slot(), value);
            return this;
        }

        /** A {@code long long} (or {@code size_t}, or pointer) argument. */
        public Launch i64(long value) {
            values.set(ValueLayout.JAVA_LONG, slot(), value);
            return this;
        }

        /** A {@code float} argument. */
        public Launch f32(float value) {
            values.set(ValueLayout.JAVA_FLOAT, slot(), value);
            return this;
        }

        /** A {@code double} argument. */
        public Launch f64(double value) {
            values.set(ValueLayout.JAVA_DOUBLE, slot(), value);
            return this;
        }

        private long slot() {
            if (count == MAX_PARAMETERS) {
                throw new IllegalArgumentException("kernel " + kernel.name + ": more than " + MAX_PARAMETERS
                        + " parameters");
            }
            return 8L * count++;
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
