package dev.batchwise.loss;

import dev.batchwise.cuda.CudaKernel;
import dev.batchwise.cuda.CudaMemory;
import dev.batchwise.cuda.CudaModule;
import dev.batchwise.cuda.CudaStream;
import dev.batchwise.cuda.DeviceErrorFlag;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;

/**
 * The pieces every loss launch of loss.cu needs: the kernel, the value tensor, the per-block
 * partial sums with the zeroed integer ticket of the deterministic final reduction, and the error
 * flag. Use: {@link #open}, append the kernel's arguments to {@link #launch()}, {@link #reduction}
 * arguments, {@link #run}, then {@link #finish} with the results to attach the flag to.
 */
final class CudaLossLaunch {
    /** Threads per block (loss.cu LOSS_THREADS). */
    static final int THREADS = 256;

    final Device device;
    final CudaStream stream;
    final DeviceErrorFlag flag;
    final Tensor value;
    private final Tensor scratch;
    private final int blocks;
    private final CudaKernel kernel;

    private CudaLossLaunch(Device device, String function, int blocks, long[] valueShape) {
        this.device = device;
        this.stream = CudaStream.current(device);
        this.blocks = blocks;
        this.kernel = CudaModule.load(device, "loss").function(function);
        this.value = Tensor.empty(DType.FLOAT64, device, valueShape);
        this.scratch = Tensor.empty(DType.UINT8, device, (long) blocks * 8 + 16);
        CudaMemory.memsetD32Async(stream, scratch.devicePointer() + (long) blocks * 8, 0, 1);
        this.flag = DeviceErrorFlag.create(device, stream);
    }

    /** Prepares a launch of {@code function} with {@code blocks} blocks (at least 1). */
    static CudaLossLaunch open(Device device, String function, int blocks, long[] valueShape) {
        return new CudaLossLaunch(device, function, blocks, valueShape);
    }

    /** The kernel launch builder with grid and block set; append the arguments. */
    CudaKernel.Launch launch() {
        return kernel.launch(stream).grid(blocks).block(THREADS);
    }

    /** Appends {@code partials, counter, value} (in that order). */
    CudaKernel.Launch reduction(CudaKernel.Launch l) {
        return l.ptr(scratch.devicePointer()).ptr(scratch.devicePointer() + (long) blocks * 8).ptr(value);
    }

    /** Frees the scratch (in stream order) and attaches the error flag to the results. */
    void finish(String opName, Tensor... results) {
        scratch.close();
        Tensor[] all = new Tensor[results.length + 1];
        all[0] = value;
        System.arraycopy(results, 0, all, 1, results.length);
        flag.attachTo(opName, all);
    }

    /** Device address of {@code t}, or 0 for null or empty. */
    static long pointer(Tensor t) {
        return t == null || t.numel() == 0 ? 0L : t.devicePointer();
    }

    /** 1 for int64 index tensors, 0 for int32 or null. */
    static int is64(Tensor t) {
        return t != null && t.dtype() == DType.INT64 ? 1 : 0;
    }

    /** {@code t} in {@code dtype} (a converted copy when it differs; null stays null). */
    static Tensor as(Tensor t, DType dtype) {
        return t == null ? null : t.to(dtype);
    }

    /** Closes {@code converted} when it is a copy made by {@link #as} from {@code original}. */
    static void release(Tensor converted, Tensor original) {
        if (converted != null && converted != original) {
            converted.close();
        }
    }

    /** The kernel variant suffix of a float dtype. */
    static String suffix(DType dtype) {
        return dtype == DType.FLOAT64 ? "_f64" : "_f32";
    }
}
