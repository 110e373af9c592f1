package dev.batchwise.tensor;

/**
 * The CUDA side of {@link Tensor}: allocation, copies, fill and dtype conversion on the GPU.
 * (Backend wiring lands with the CUDA runtime; until then every entry point explains that CUDA is
 * unavailable.)
 */
final class CudaTensors {
    private CudaTensors() {}

    static Storage allocate(Device device, long bytes, boolean zero) {
        throw unavailable();
    }

    static void copyRows(Storage src, long srcOffset, long srcPitch, Storage dst, long dstOffset, long dstPitch,
                         long widthBytes, long rows) {
        throw unavailable();
    }

    static void fill(Tensor t, double value) {
        throw unavailable();
    }

    static void cast(Tensor src, Tensor dst) {
        throw unavailable();
    }

    private static IllegalStateException unavailable() {
        return new IllegalStateException("CUDA is not available: " + Device.cudaUnavailableReason());
    }
}
