package dev.batchwise.tensor;

import dev.batchwise.cuda.Cuda;
import dev.batchwise.cuda.CudaMemory;
import dev.batchwise.cuda.CudaStream;
import dev.batchwise.cuda.DeviceErrorFlag;
import java.util.ArrayList;
import java.util.List;

/**
 * Device memory of a CUDA tensor: a stream-ordered allocation ({@code cuMemAllocAsync} on the
 * allocating thread's current stream) from the device's default memory pool, returned with
 * {@code cuMemFreeAsync} on the freeing thread's current stream (the device's default stream on
 * the Cleaner thread). Zero-byte storages hold no allocation (address 0).
 *
 * <p>Also holds the {@link DeviceErrorFlag}s attached to results stored here, which are checked
 * whenever the memory is copied to the host.
 */
final class CudaStorage extends Storage {
    private final Free free;

    private CudaStorage(Device device, long byteSize, long address, Free free) {
        super(device, byteSize, address, free);
        this.free = free;
    }

    /**
     * Allocates {@code bytes} bytes on {@code device}, zeroed in stream order when {@code zero}.
     *
     * @throws IllegalStateException when CUDA is unavailable ("CUDA is not available: …")
     */
    static CudaStorage allocate(Device device, long bytes, boolean zero) {
        Cuda.requireAvailable();
        CudaStream stream = CudaStream.current(device);
        long address = CudaMemory.allocAsync(stream, bytes);
        try {
            if (zero) {
                CudaMemory.memsetD8Async(stream, address, (byte) 0, bytes);
            }
        } catch (RuntimeException e) {
            CudaMemory.freeAsync(stream, address);
            throw e;
        }
        MemoryStats.CUDA_BYTES.add(bytes);
        return new CudaStorage(device, bytes, address, new Free(device, address, bytes));
    }

    void attach(DeviceErrorFlag flag) {
        checkLive();
        synchronized (free) {
            free.flags.add(flag);
        }
    }

    /** The attached flags not yet checked clean. */
    DeviceErrorFlag[] pendingFlags() {
        synchronized (free) {
            return free.flags.toArray(new DeviceErrorFlag[0]);
        }
    }

    /** True when {@code flag} is attached here and not yet checked clean. */
    boolean hasPendingFlag(DeviceErrorFlag flag) {
        synchronized (free) {
            for (DeviceErrorFlag f : free.flags) {
                if (f == flag) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Forgets a flag that was checked and found clean. */
    void dropCheckedFlag(DeviceErrorFlag flag) {
        boolean removed;
        synchronized (free) {
            removed = free.flags.remove(flag);
        }
        if (removed) {
            flag.release();
        }
    }

    /** The free action; holds the flags so that freeing gives their references back. */
    private static final class Free extends Allocation {
        private final Device device;
        private final long address;
        private final long bytes;
        final List<DeviceErrorFlag> flags = new ArrayList<>(0);

        Free(Device device, long address, long bytes) {
            this.device = device;
            this.address = address;
            this.bytes = bytes;
        }

        @Override
        void free() {
            DeviceErrorFlag[] held;
            synchronized (this) {
                held = flags.toArray(new DeviceErrorFlag[0]);
                flags.clear();
            }
            try {
                CudaMemory.freeAsync(CudaStream.current(device), address);
            } finally {
                MemoryStats.CUDA_BYTES.add(-bytes);
                for (DeviceErrorFlag f : held) {
                    f.release();
                }
            }
        }
    }
}
