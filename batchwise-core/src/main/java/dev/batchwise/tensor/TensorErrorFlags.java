package dev.batchwise.tensor;

import dev.batchwise.cuda.DeviceErrorFlag;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The link between {@link DeviceErrorFlag}s and tensor memory, used by the CUDA runtime.
 * Application and operation code call {@link DeviceErrorFlag#attachTo} instead.
 *
 * <p>A flag attached to a CUDA tensor is stored with the tensor's memory (so views and the base
 * tensor share it) and checked whenever that memory is copied to the host; copies and dtype
 * conversions on the GPU carry unchecked flags over to their results.
 */
public final class TensorErrorFlags {
    /** Flags that a GPU copy or conversion has carried to other memory (weakly held). */
    private static final Set<DeviceErrorFlag> CARRIED = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

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

    /**
     * True when {@code flag} is attached to {@code tensor}'s memory, has not been checked clean, and
     * has never been carried to other memory by a GPU copy or conversion. An in-place operation that
     * created {@code flag} and attached it to {@code tensor} alone may then let a later call on the
     * same memory and stream report into it again instead of creating (and zeroing) a new flag: the
     * results that check it are still exactly those sharing {@code tensor}'s memory, which would
     * also check the new flag. An error already in the flag stays (the first error wins). False for
     * CPU tensors.
     */
    public static boolean isPendingOnlyOn(Tensor tensor, DeviceErrorFlag flag) {
        return tensor.device().isCuda() && !CARRIED.contains(flag)
                && ((CudaStorage) tensor.storage()).hasPendingFlag(flag);
    }

    /** Records that a copy or conversion carried {@code flag} to the memory of its result. */
    static void markCarried(DeviceErrorFlag flag) {
        CARRIED.add(flag);
    }
}
