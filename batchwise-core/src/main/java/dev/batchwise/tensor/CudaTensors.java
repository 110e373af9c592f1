package dev.batchwise.tensor;

import dev.batchwise.cuda.CudaKernel;
import dev.batchwise.cuda.CudaMemory;
import dev.batchwise.cuda.CudaModule;
import dev.batchwise.cuda.CudaStream;
import dev.batchwise.cuda.DeviceErrorFlag;

/**
 * The CUDA side of {@link Tensor}: allocation, copies between any devices, fill and dtype
 * conversion on the GPU. Everything is enqueued on the current stream of the thread
 * ({@link CudaStream#current}) and returns without waiting, except copies whose destination is
 * the host.
 *
 * <p>Copies:
 * <ul>
 *   <li>host → GPU: staged through pinned chunks ({@link CudaMemory#copyFromPageableAsync}), so
 *       the host tensor may be freed or changed at once while the device side stays
 *       asynchronous;</li>
 *   <li>GPU → host: {@code cuMemcpy2DAsync_v2} (or a plain copy for contiguous rows) straight
 *       into the host tensor, then the stream is synchronised and every error flag attached to the
 *       source memory is checked (it may throw what a kernel reported);</li>
 *   <li>GPU → same GPU: {@code cuMemcpy2DAsync_v2} / {@code cuMemcpyDtoDAsync_v2} in stream
 *       order;</li>
 *   <li>GPU → other GPU: {@code cuMemcpyPeerAsync} per row; the source device's current stream is
 *       synchronised before and the destination's after, so neither side needs further
 *       ordering.</li>
 * </ul>
 * Copies and conversions on the GPU attach the source's unchecked error flags to the result.
 */
final class CudaTensors {
    private CudaTensors() {}

    private static final int BLOCK = 256;
    private static final int MAX_BLOCKS = 1 << 20;

    static Storage allocate(Device device, long bytes, boolean zero) {
        return CudaStorage.allocate(device, bytes, zero);
    }

    static void copyRows(Storage src, long srcOffset, long srcPitch, Storage dst, long dstOffset, long dstPitch,
                         long widthBytes, long rows) {
        long s = src.address() + srcOffset;
        long d = dst.address() + dstOffset;
        if (src.device().isCpu()) {
            CudaStream stream = CudaStream.current(dst.device());
            CudaMemory.copyFromPageableAsync(stream, d, dstPitch, s, srcPitch, widthBytes, rows);
        } else if (dst.device().isCpu()) {
            copyToHost((CudaStorage) src, s, srcPitch, d, dstPitch, widthBytes, rows);
        } else if (src.device() == dst.device()) {
            CudaStream stream = CudaStream.current(dst.device());
            CudaMemory.copy2DAsync(stream, CudaMemory.Location.DEVICE, s, srcPitch, CudaMemory.Location.DEVICE, d,
                    dstPitch, widthBytes, rows);
            carryFlags((CudaStorage) src, (CudaStorage) dst);
        } else {
            CudaStream.current(src.device()).synchronize();
            CudaStream stream = CudaStream.current(dst.device());
            for (long r = 0; r < rows; r++) {
                CudaMemory.copyPeerAsync(stream, dst.device(), d + r * dstPitch, src.device(), s + r * srcPitch,
                        widthBytes);
            }
            stream.synchronize();
            carryFlags((CudaStorage) src, (CudaStorage) dst);
        }
    }

    /** Device → host copy, then synchronise and check the source's error flags. */
    private static void copyToHost(CudaStorage src, long s, long srcPitch, long d, long dstPitch, long widthBytes,
                                   long rows) {
        CudaStream stream = CudaStream.current(src.device());
        CudaMemory.copy2DAsync(stream, CudaMemory.Location.DEVICE, s, srcPitch, CudaMemory.Location.HOST, d, dstPitch,
                widthBytes, rows);
        DeviceErrorFlag[] flags = src.pendingFlags();
        for (DeviceErrorFlag f : flags) {
            f.readBackAsync(f.stream());
        }
        stream.synchronize();
        for (DeviceErrorFlag f : flags) {
            if (f.stream() != stream) {
                f.stream().synchronize();
            }
        }
        for (DeviceErrorFlag f : flags) {
            f.throwIfReported();
            src.dropCheckedFlag(f);
        }
    }

    private static void carryFlags(CudaStorage from, CudaStorage to) {
        if (from == to) {
            return;
        }
        for (DeviceErrorFlag f : from.pendingFlags()) {
            TensorErrorFlags.markCarried(f);
            f.retain();
            to.attach(f);
        }
    }

    /** Sets every element of {@code t} to {@code value} converted exactly as on the CPU. */
    static void fill(Tensor t, double value) {
        long n = t.numel();
        long p = t.devicePointer();
        if (n == 0) {
            return;
        }
        CudaStream stream = CudaStream.current(t.device());
        switch (t.dtype()) {
            case FLOAT32 -> CudaMemory.memsetD32Async(stream, p, Float.floatToRawIntBits((float) value), n);
            case INT32 -> CudaMemory.memsetD32Async(stream, p, (int) value, n);
            case UINT8 -> CudaMemory.memsetD8Async(stream, p, (byte) (int) value, n);
            case BOOL -> CudaMemory.memsetD8Async(stream, p,
                    value != 0 || Double.isNaN(value) ? (byte) 1 : (byte) 0, n);
            case FLOAT64 -> fill64(stream, p, n, Double.doubleToRawLongBits(value));
            case INT64 -> fill64(stream, p, n, (long) value);
        }
    }

    private static void fill64(CudaStream stream, long p, long n, long bits) {
        if ((int) bits == (int) (bits >>> 32)) {
            CudaMemory.memsetD32Async(stream, p, (int) bits, 2 * n); // both halves equal (e.g. zero)
            return;
        }
        CudaKernel k = kernel(stream, "bw_fill_u64");
        k.launch(stream).block(BLOCK).grid(blocks(n)).ptr(p).i64(n).i64(bits).run();
    }

    /** Element-wise conversion of {@code src} into {@code dst} (same device and shape). */
    static void cast(Tensor src, Tensor dst) {
        long n = src.numel();
        CudaStream stream = CudaStream.current(src.device());
        if (n > 0) {
            if (src.dtype() == dst.dtype()) {
                CudaMemory.copyDeviceToDeviceAsync(stream, dst.devicePointer(), src.devicePointer(), src.byteSize());
            } else {
                String name = "bw_cast_" + shortName(src.dtype()) + "_" + shortName(dst.dtype());
                kernel(stream, name).launch(stream).block(BLOCK).grid(blocks(n))
                        .ptr(src).ptr(dst).i64(n).run();
            }
        }
        carryFlags((CudaStorage) src.storage(), (CudaStorage) dst.storage());
    }

    private static CudaKernel kernel(CudaStream stream, String name) {
        return CudaModule.load(stream.device(), "tensor").function(name);
    }

    private static int blocks(long n) {
        return (int) Math.min(MAX_BLOCKS, (n + BLOCK - 1) / BLOCK);
    }

    /** The dtype's name in kernel symbols of tensor.cu. */
    static String shortName(DType t) {
        return switch (t) {
            case FLOAT32 -> "f32";
            case FLOAT64 -> "f64";
            case INT32 -> "i32";
            case INT64 -> "i64";
            case UINT8 -> "u8";
            case BOOL -> "b8";
        };
    }
}
