package dev.batchwise.cli.machine;

import dev.batchwise.tensor.Device;
import java.util.List;

/**
 * What the CUDA driver offers here: its version and the GPUs, or why CUDA is unusable.
 *
 * @param driverVersion e.g. "13.0", or {@code null} when unknown
 * @param gpus the usable GPUs (empty when CUDA is unusable)
 * @param unavailableReason why CUDA cannot be used, or {@code null} when it can
 */
public record CudaStatus(String driverVersion, List<GpuInfo> gpus, String unavailableReason) {
    /** Asks the driver (through the CUDA runtime of batchwise-core). Never throws. */
    public static CudaStatus probe() {
        if (!Device.cudaAvailable()) {
            return new CudaStatus(null, List.of(), Device.cudaUnavailableReason());
        }
        return new CudaStatus(null, List.of(), "GPU details need the CUDA runtime of batchwise-core");
    }

    /** True when at least one GPU is usable. */
    public boolean usable() {
        return unavailableReason == null && !gpus.isEmpty();
    }
}
