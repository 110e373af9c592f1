package dev.batchwise.cli.machine;

import dev.batchwise.cuda.Cuda;
import dev.batchwise.cuda.CudaDevice;
import dev.batchwise.tensor.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
        String driver = null;
        List<GpuInfo> gpus = new ArrayList<>();
        try {
            driver = formatVersion(Cuda.driverVersion());
            for (int i = 0; i < Device.cudaDeviceCount(); i++) {
                CudaDevice d = CudaDevice.get(i);
                gpus.add(new GpuInfo(i, d.name(), d.totalMemoryBytes(), d.computeCapability(), d.multiprocessorCount()));
            }
            return new CudaStatus(driver, List.copyOf(gpus), null);
        } catch (RuntimeException e) {
            return new CudaStatus(driver, List.copyOf(gpus), "querying the driver failed: " + e);
        }
    }

    /** {@code cuDriverGetVersion}'s 1000 × major + 10 × minor as "major.minor", e.g. 13000 → "13.0". */
    static String formatVersion(int version) {
        return version <= 0 ? null : String.format(Locale.ROOT, "%d.%d", version / 1000, version % 1000 / 10);
    }

    /** True when at least one GPU is usable. */
    public boolean usable() {
        return unavailableReason == null && !gpus.isEmpty();
    }
}
