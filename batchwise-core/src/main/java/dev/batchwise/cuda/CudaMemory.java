package dev.batchwise.cuda;

import dev.batchwise.tensor.Device;

/**
 * Device memory: stream-ordered allocation, copies and memset, all enqueued on a
 * {@link CudaStream} and returning without waiting.
 *
 * <p>Allocation uses the device's default memory pool ({@code cuMemAllocAsync} /
 * {@code cuMemFreeAsync}); {@link CudaDevice} sets the pool's release threshold to
 * {@code UINT64_MAX}, so freed blocks are kept and handed out again rather than returned to the
 * driver. Memory allocated on one stream may be used on another only after synchronising them
 * (events, {@link CudaStream#waitFor}).
 *
 * <p>Addresses are raw {@code long}s: device pointers ({@code CUdeviceptr}) for device memory,
 * virtual addresses for host memory. The host side of an asynchronous copy must stay valid until
 * the copy has executed; use {@link PinnedBuffer} memory and synchronise before reusing it, or
 * {@link #copyFromPageableAsync} which stages through pinned memory itself.
 */
public final class CudaMemory {
    private CudaMemory() {}

    /** Where a 2-D copy's source or destination lives. */
    public enum Location {
        /** Host memory ({@code CU_MEMORYTYPE_HOST}). */
        HOST(CuResult.MEMORYTYPE_HOST),
        /** Device memory ({@code CU_MEMORYTYPE_DEVICE}). */
        DEVICE(CuResult.MEMORYTYPE_DEVICE);

        final int cuType;

        Location(int cuType) {
            this.cuType = cuType;
        }
    }

    /**
     * Allocates {@code bytes} bytes of device memory in stream order ({@code cuMemAllocAsync}):
     * the memory may be used by work enqueued on {@code stream} after this call.
     *
     * @return the device pointer, or 0 when {@code bytes == 0}
     * @throws CudaOutOfMemoryException when the device is full
     */
    public static long allocAsync(CudaStream stream, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, got " + bytes);
        }
        if (bytes == 0) {
            return 0;
        }
        stream.cudaDevice().makeCurrent();
        long p = CudaDriver.memAllocAsync(bytes, stream.handle());
        CaptureState capture = stream.capture;
        if (capture != null && capture.thread == Thread.currentThread()) {
            capture.allocations.add(p);
        }
        return p;
    }

    /**
     * Returns memory from {@link #allocAsync} to the pool in stream order ({@code cuMemFreeAsync}):
     * work enqueued on {@code stream} before this call may still use it. Safe from any thread. While
     * {@code stream} is being captured into a {@link CudaGraph}, memory not allocated inside that
     * capture (or freed by another thread) is freed when the capture ends. {@code pointer == 0}
     * does nothing.
     */
    public static void freeAsync(CudaStream stream, long pointer) {
        if (pointer == 0) {
            return;
        }
        CaptureState capture = stream.capture;
        if (capture != null
                && (capture.thread != Thread.currentThread() || !capture.allocations.remove(pointer))) {
            capture.deferFree(pointer);
            return;
        }
        stream.cudaDevice().makeCurrent();
        CudaDriver.memFreeAsync(pointer, stream.handle());
    }

    /**
     * Copies {@code bytes} bytes from host memory to device memory ({@code cuMemcpyHtoDAsync_v2}).
     * The host memory must stay unchanged until the copy has executed (pinned memory: until the
     * stream passes it).
     */
    public static void copyHostToDeviceAsync(CudaStream stream, long dstDevice, long srcHost, long bytes) {
        if (bytes == 0) {
            return;
        }
        stream.cudaDevice().makeCurrent();
        CudaDriver.memcpyHtoDAsync(dstDevice, srcHost, bytes, stream.handle());
    }

    /**
     * Copies {@code bytes} bytes from device memory to host memory ({@code cuMemcpyDtoHAsync_v2}).
     * The host data is valid after the stream has passed the copy (synchronise first).
     */
    public static void copyDeviceToHostAsync(CudaStream stream, long dstHost, long srcDevice, long bytes) {
        if (bytes == 0) {
            return;
        }
        stream.cudaDevice().makeCurrent();
        CudaDriver.memcpyDtoHAsync(dstHost, srcDevice, bytes, stream.handle());
    }

    /** Copies {@code bytes} bytes between device memory of the stream's device ({@code cuMemcpyDtoDAsync_v2}). */
    public static void copyDeviceToDeviceAsync(CudaStream stream, long dstDevice, long srcDevice, long bytes) {
        if (bytes == 0) {
            return;
        }
        stream.cudaDevice().makeCurrent();
        CudaDriver.memcpyDtoDAsync(dstDevice, srcDevice, bytes, stream.handle());
    }

    /**
     * Copies {@code bytes} bytes from device memory of {@code srcDevice} to device memory of
     * {@code dstDevice} ({@code cuMemcpyPeerAsync} between the two primary contexts), enqueued on
     * {@code stream}. The caller orders the copy after the work producing the source.
     */
    public static void copyPeerAsync(CudaStream stream, Device dstDevice, long dst, Device srcDevice, long src,
                                     long bytes) {
        if (bytes == 0) {
            return;
        }
        long dstCtx = CudaDevice.of(dstDevice).context();
        long srcCtx = CudaDevice.of(srcDevice).context();
        stream.cudaDevice().makeCurrent();
        CudaDriver.memcpyPeerAsync(dst, dstCtx, src, srcCtx, bytes, stream.handle());
    }

    /**
     * Copies {@code rows} rows of {@code widthBytes} bytes; row {@code r} goes from
     * {@code src + r * srcPitch} to {@code dst + r * dstPitch} ({@code cuMemcpy2DAsync_v2}; a single
     * contiguous copy when the rows are adjacent on both sides, one copy per row when a pitch exceeds
     * the device's {@code CU_DEVICE_ATTRIBUTE_MAX_PITCH}). Both sides must be memory of the stream's
     * device or host memory. Host memory follows the rules in the class comment.
     *
     * @throws IllegalArgumentException for negative sizes or a pitch smaller than the width with
     *                                  more than one row
     */
    public static void copy2DAsync(CudaStream stream, Location srcLocation, long src, long srcPitch,
                                   Location dstLocation, long dst, long dstPitch, long widthBytes, long rows) {
        if (widthBytes < 0 || rows < 0) {
            throw new IllegalArgumentException("width and rows must be >= 0, got " + widthBytes + " and " + rows);
        }
        if (widthBytes == 0 || rows == 0) {
            return;
        }
        if (rows > 1 && (srcPitch < widthBytes || dstPitch < widthBytes)) {
            throw new IllegalArgumentException("pitches (" + srcPitch + ", " + dstPitch + ") must be >= the width "
                    + widthBytes + " when copying " + rows + " rows");
        }
        CudaDevice device = stream.cudaDevice();
        device.makeCurrent();
        if (rows == 1 || (srcPitch == widthBytes && dstPitch == widthBytes)) {
            copy1D(stream, srcLocation, src, dstLocation, dst, widthBytes * rows);
        } else if (srcPitch <= device.maxPitch() && dstPitch <= device.maxPitch()) {
            CudaDriver.memcpy2DAsync(srcLocation.cuType, src, srcPitch, dstLocation.cuType, dst, dstPitch,
                    widthBytes, rows, stream.handle());
        } else {
            for (long r = 0; r < rows; r++) {
                copy1D(stream, srcLocation, src + r * srcPitch, dstLocation, dst + r * dstPitch, widthBytes);
            }
        }
    }

    private static void copy1D(CudaStream stream, Location srcLocation, long src, Location dstLocation, long dst,
                               long bytes) {
        long h = stream.handle();
        if (srcLocation == Location.HOST && dstLocation == Location.DEVICE) {
            CudaDriver.memcpyHtoDAsync(dst, src, bytes, h);
        } else if (srcLocation == Location.DEVICE && dstLocation == Location.HOST) {
            CudaDriver.memcpyDtoHAsync(dst, src, bytes, h);
        } else if (srcLocation == Location.DEVICE) {
            CudaDriver.memcpyDtoDAsync(dst, src, bytes, h);
        } else {
            CudaDriver.memcpy2DAsync(CuResult.MEMORYTYPE_HOST, src, bytes, CuResult.MEMORYTYPE_HOST, dst, bytes,
                    bytes, 1, h);
        }
    }

    /**
     * Copies rows from ordinary pageable host memory (e.g. a CPU tensor) to device memory of the
     * stream's device, staging through pinned chunks (4 MiB each, at most 8 per device): the source
     * may be modified or freed as soon as this returns, and the device side completes in stream
     * order. Row layout as in {@link #copy2DAsync}.
     *
     * @throws IllegalStateException while {@code stream} is being captured into a graph (host
     *                               memory cannot be part of a graph this way)
     */
    public static void copyFromPageableAsync(CudaStream stream, long dstDevice, long dstPitch, long srcHost,
                                             long srcPitch, long widthBytes, long rows) {
        if (widthBytes == 0 || rows == 0) {
            return;
        }
        if (stream.capture != null) {
            throw new IllegalStateException("copies from host memory cannot be captured into a CUDA graph;"
                    + " copy inputs to the GPU before the capture");
        }
        HostStaging.of(stream.cudaDevice()).copy(stream, dstDevice, dstPitch, srcHost, srcPitch, widthBytes, rows);
    }

    /** Sets {@code count} bytes to {@code value} ({@code cuMemsetD8Async}). */
    public static void memsetD8Async(CudaStream stream, long dstDevice, byte value, long count) {
        if (count == 0) {
            return;
        }
        stream.cudaDevice().makeCurrent();
        CudaDriver.memsetD8Async(dstDevice, value, count, stream.handle());
    }

    /**
     * Sets {@code count} 32-bit words to {@code value} ({@code cuMemsetD32Async});
     * {@code dstDevice} must be 4-byte aligned.
     */
    public static void memsetD32Async(CudaStream stream, long dstDevice, int value, long count) {
        if (count == 0) {
            return;
        }
        stream.cudaDevice().makeCurrent();
        CudaDriver.memsetD32Async(dstDevice, value, count, stream.handle());
    }
}
