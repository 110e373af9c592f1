package dev.batchwise.cuda;

import dev.batchwise.tensor.Device;

/**
 * One CUDA GPU: its attributes and its primary context.
 *
 * <p>Instances are created once per ordinal ({@code CudaDevice.get(0) == CudaDevice.get(0)}).
 * Querying attributes needs no context. The first {@link #makeCurrent()} retains the device's
 * primary context ({@code cuDevicePrimaryCtxRetain}, held for the life of the JVM) and sets the
 * release threshold of the device's default memory pool ({@code cuDeviceGetDefaultMemPool} +
 * {@code cuMemPoolSetAttribute(CU_MEMPOOL_ATTR_RELEASE_THRESHOLD, UINT64_MAX)}) so that memory
 * freed with {@code cuMemFreeAsync} stays in the pool and is reused instead of going back to the
 * driver at every synchronisation.
 *
 * <p>Which context is current is cached per thread, so {@link #makeCurrent()} costs one
 * thread-local read unless the thread switches devices. Code that changes the current context
 * behind batchwise's back (another CUDA library on the same thread) must restore it.
 */
public final class CudaDevice {
    private static volatile CudaDevice[] devices;

    /** Per thread: the context this runtime last made current ({@code long[1]}, 0 = none). */
    private static final ThreadLocal<long[]> CURRENT_CONTEXT = ThreadLocal.withInitial(() -> new long[1]);

    private final int ordinal;
    private final int handle;
    private final String name;
    private final long totalMemoryBytes;
    private final int multiprocessorCount;
    private final int ccMajor;
    private final int ccMinor;
    private final long maxPitch;
    private volatile long context;
    private volatile ErrorFlagArena errorFlags;

    private CudaDevice(int ordinal) {
        this.ordinal = ordinal;
        this.handle = CudaDriver.deviceGet(ordinal);
        this.name = CudaDriver.deviceName(handle);
        this.totalMemoryBytes = CudaDriver.deviceTotalMem(handle);
        this.multiprocessorCount = CudaDriver.deviceAttribute(CuResult.ATTR_MULTIPROCESSOR_COUNT, handle);
        this.ccMajor = CudaDriver.deviceAttribute(CuResult.ATTR_COMPUTE_CAPABILITY_MAJOR, handle);
        this.ccMinor = CudaDriver.deviceAttribute(CuResult.ATTR_COMPUTE_CAPABILITY_MINOR, handle);
        this.maxPitch = CudaDriver.deviceAttribute(CuResult.ATTR_MAX_PITCH, handle) & 0xFFFFFFFFL;
    }

    /**
     * The device with ordinal {@code ordinal} ({@code cuDeviceGet}).
     *
     * @throws IllegalStateException    when CUDA is unavailable (with the reason)
     * @throws IllegalArgumentException when there is no such device
     */
    public static CudaDevice get(int ordinal) {
        Cuda.requireAvailable();
        CudaDevice[] all = devices;
        if (all == null) {
            synchronized (CudaDevice.class) {
                all = devices;
                if (all == null) {
                    all = new CudaDevice[Cuda.deviceCount()];
                    devices = all;
                }
            }
        }
        if (ordinal < 0 || ordinal >= all.length) {
            throw new IllegalArgumentException("CUDA device " + ordinal + " does not exist; this machine has "
                    + all.length + " CUDA device(s)");
        }
        CudaDevice d = all[ordinal];
        if (d == null) {
            synchronized (CudaDevice.class) {
                d = all[ordinal];
                if (d == null) {
                    d = new CudaDevice(ordinal);
                    all[ordinal] = d;
                }
            }
        }
        return d;
    }

    /**
     * The CUDA device behind a tensor {@link Device}.
     *
     * @throws IllegalArgumentException for {@link Device#CPU} or a missing device
     * @throws IllegalStateException    when CUDA is unavailable
     */
    public static CudaDevice of(Device device) {
        if (!device.isCuda()) {
            throw new IllegalArgumentException("expected a CUDA device, got " + device);
        }
        return get(device.cudaIndex());
    }

    /** The ordinal, as {@code Device.cuda(ordinal)} numbers it. */
    public int ordinal() {
        return ordinal;
    }

    /** The tensor {@link Device} for this GPU. */
    public Device device() {
        return Device.cuda(ordinal);
    }

    /** Marketing name ({@code cuDeviceGetName}), e.g. "NVIDIA H100 80GB HBM3". */
    public String name() {
        return name;
    }

    /** Total device memory in bytes ({@code cuDeviceTotalMem_v2}). */
    public long totalMemoryBytes() {
        return totalMemoryBytes;
    }

    /** Number of streaming multiprocessors ({@code CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT}). */
    public int multiprocessorCount() {
        return multiprocessorCount;
    }

    /** Major compute capability, e.g. 9 for Hopper. */
    public int computeCapabilityMajor() {
        return ccMajor;
    }

    /** Minor compute capability, e.g. 0 for the H100. */
    public int computeCapabilityMinor() {
        return ccMinor;
    }

    /** Compute capability as {@code "major.minor"}, e.g. {@code "9.0"}. */
    public String computeCapability() {
        return ccMajor + "." + ccMinor;
    }

    /**
     * Any device attribute ({@code cuDeviceGetAttribute}); {@code attribute} is a
     * {@code CUdevice_attribute} value from cuda.h, e.g. 1 for
     * {@code CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK}.
     *
     * @throws CudaException for an attribute the driver does not know
     */
    public int attribute(int attribute) {
        return CudaDriver.deviceAttribute(attribute, handle);
    }

    /**
     * Bytes of the device's default memory pool currently allocated and not freed
     * ({@code cuMemPoolGetAttribute(CU_MEMPOOL_ATTR_USED_MEM_CURRENT)}), by every user of the pool.
     */
    public long poolUsedBytes() {
        makeCurrent();
        return CudaDriver.memPoolGetAttributeU64(CudaDriver.deviceDefaultMemPool(handle),
                CuResult.MEMPOOL_ATTR_USED_MEM_CURRENT);
    }

    /**
     * Bytes the device's default memory pool holds from the driver, used or kept for reuse
     * ({@code cuMemPoolGetAttribute(CU_MEMPOOL_ATTR_RESERVED_MEM_CURRENT)}).
     */
    public long poolReservedBytes() {
        makeCurrent();
        return CudaDriver.memPoolGetAttributeU64(CudaDriver.deviceDefaultMemPool(handle),
                CuResult.MEMPOOL_ATTR_RESERVED_MEM_CURRENT);
    }

    /** Largest row pitch a 2-D copy accepts ({@code CU_DEVICE_ATTRIBUTE_MAX_PITCH}). */
    long maxPitch() {
        return maxPitch;
    }

    /** The retained primary context ({@code CUcontext}), retaining it on first use. */
    long context() {
        long c = context;
        return c != 0 ? c : retainContext();
    }

    /**
     * Makes this device's primary context current on the calling thread
     * ({@code cuCtxSetCurrent}), unless this runtime already did so on this thread. Every
     * operation of the runtime calls this first; call it yourself only before driver calls of
     * your own.
     */
    public void makeCurrent() {
        long c = context();
        long[] current = CURRENT_CONTEXT.get();
        if (current[0] != c) {
            CudaDriver.ctxSetCurrent(c);
            current[0] = c;
        }
    }

    private synchronized long retainContext() {
        if (context != 0) {
            return context;
        }
        long c = CudaDriver.primaryCtxRetain(handle);
        try {
            CudaDriver.ctxSetCurrent(c);
            CURRENT_CONTEXT.get()[0] = c;
            if (attribute(CuResult.ATTR_MEMORY_POOLS_SUPPORTED) != 0) {
                long pool = CudaDriver.deviceDefaultMemPool(handle);
                CudaDriver.memPoolSetAttributeU64(pool, CuResult.MEMPOOL_ATTR_RELEASE_THRESHOLD, -1L);
            }
        } catch (RuntimeException e) {
            CURRENT_CONTEXT.get()[0] = 0;
            try {
                CudaDriver.primaryCtxRelease(handle);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        context = c;
        errorFlags = new ErrorFlagArena(this);
        return c;
    }

    /** The slots backing this device's {@link DeviceErrorFlag}s (made with the context). */
    ErrorFlagArena errorFlagArena() {
        context();
        return errorFlags;
    }

    /** {@code "cuda:0 (NVIDIA H100 80GB HBM3, 132 SMs, compute 9.0, 79.2 GiB)"}. */
    @Override
    public String toString() {
        return "cuda:" + ordinal + " (" + name + ", " + multiprocessorCount + " SMs, compute " + computeCapability()
                + String.format(java.util.Locale.ROOT, ", %.1f GiB)", totalMemoryBytes / (double) (1L << 30));
    }
}
