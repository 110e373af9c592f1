package dev.batchwise.tensor;

import dev.batchwise.cuda.DeviceErrorFlag;

/**
 * The link between {@link DeviceErrorFlag}s and tensor memory, used by the CUDA runtime.
 * Application and operation code call {@link DeviceErrorFlag#attachTo} instead.
 *
 * <p>A flag attached to a CUDA tensor is stored with the tensor's memory (so views and the base
 * tensor share it) and checked whenever that memory is copied to the host; copies and dtype
 * conversions on the GPU carry unchecked flags over to their results.
 */
public final class TensorErrorFlags {
    private TensorErrorFlags() {}

    /**
     * Attaches {@code flag} to {@code tensor}'s memory. The caller has already counted the
     * attachment with {@link DeviceErrorFlag#retain()}; the memory gives it back with
     * {@link DeviceErrorFlag#release()} when it is freed or the flag has been checked clean.
     *
     * @throws IllegalArgumentException for a CPU tensor
     * @throws IllegalStateException    for a freed tensor
     */
    public static void attach(Tensor tensor, DeviceErrorFlag flag) {
        if (!tensor.device().isCuda()) {
            throw new IllegalArgumentException("error flags attach to CUDA tensors, got a tensor on " + tensor.device());
        }
        ((CudaStorage) tensor.storage()).attach(flag);
    }

    /** Number of flags attached to {@code tensor}'s memory and not yet checked clean (0 for CPU tensors). */
    public static int pendingCount(Tensor tensor) {
        return tensor.device().isCuda() ? ((CudaStorage) tensor.storage()).pendingFlags().length : 0;
    }
}
