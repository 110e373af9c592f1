package dev.batchwise.cuda;

import dev.batchwise.tensor.Device;
import java.lang.ref.Cleaner;

/**
 * A CUDA event ({@code CUevent}, created with timing enabled): a marker recorded into a stream,
 * for waiting and for measuring device time.
 *
 * <pre>{@code
 * CudaStream s = CudaStream.current(Device.cuda(0));
 * try (CudaEvent start = CudaEvent.create(s.device()); CudaEvent end = CudaEvent.create(s.device())) {
 *     start.record(s);
 *     … enqueue work on s …
 *     end.record(s);
 *     end.synchronize();
 *     float ms = end.elapsedMillisSince(start);
 * }
 * }</pre>
 */
public final class CudaEvent implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final CudaDevice device;
    private final long handle;
    private final Cleaner.Cleanable cleanable;

    private CudaEvent(CudaDevice device) {
        this.device = device;
        device.makeCurrent();
        this.handle = CudaDriver.eventCreate(CuResult.EVENT_DEFAULT);
        this.cleanable = CLEANER.register(this, new Destroy(device, handle));
    }

    /**
     * A new event on {@code device} ({@code cuEventCreate(CU_EVENT_DEFAULT)}).
     *
     * @throws IllegalStateException when CUDA is unavailable
     */
    public static CudaEvent create(Device device) {
        return new CudaEvent(CudaDevice.of(device));
    }

    /** The raw {@code CUevent} handle. */
    public long handle() {
        return handle;
    }

    /** The device of this event. */
    public Device device() {
        return device.device();
    }

    /**
     * Records the event at the current end of {@code stream} ({@code cuEventRecord}); it completes
     * when all work enqueued before it has finished. Returns {@code this}.
     */
    public CudaEvent record(CudaStream stream) {
        device.makeCurrent();
        CudaDriver.eventRecord(handle, stream.handle());
        return this;
    }

    /** Blocks until the last recorded work has completed ({@code cuEventSynchronize}). */
    public void synchronize() {
        device.makeCurrent();
        CudaDriver.eventSynchronize(handle);
    }

    /** True when the last recorded work has completed ({@code cuEventQuery}); never blocks. */
    public boolean isComplete() {
        device.makeCurrent();
        return CudaDriver.eventQuery(handle);
    }

    /**
     * Device time in milliseconds from {@code start} to this event ({@code cuEventElapsedTime_v2},
     * resolution about half a microsecond). Both events must have been recorded and completed.
     *
     * @throws CudaException {@code CUDA_ERROR_NOT_READY} when either has not completed yet
     */
    public float elapsedMillisSince(CudaEvent start) {
        device.makeCurrent();
        return CudaDriver.eventElapsedTime(start.handle, handle);
    }

    /** Destroys the event ({@code cuEventDestroy_v2}); idempotent. */
    @Override
    public void close() {
        cleanable.clean();
    }

    private record Destroy(CudaDevice device, long handle) implements Runnable {
        @Override
        public void run() {
            device.makeCurrent();
            CudaDriver.eventDestroy(handle);
        }
    }
}
