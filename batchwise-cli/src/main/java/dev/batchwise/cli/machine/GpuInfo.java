package dev.batchwise.cli.machine;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One CUDA GPU as the driver describes it.
 *
 * @param index the CUDA ordinal ({@code Device.cuda(index)})
 * @param name the product name, e.g. "NVIDIA H200"
 * @param memoryBytes total device memory
 * @param computeCapability e.g. "9.0"
 * @param smCount number of streaming multiprocessors
 */
public record GpuInfo(int index, String name, long memoryBytes, String computeCapability, int smCount) {
    /** {@code "NVIDIA H200, 139.8 GiB, compute capability 9.0, 132 SMs"}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s, %.1f GiB, compute capability %s, %d SMs", name,
                memoryBytes / (double) (1L << 30), computeCapability, smCount);
    }

    /** The fields as a JSON object (snake_case keys). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        m.put("name", name);
        m.put("memory_bytes", memoryBytes);
        m.put("compute_capability", computeCapability);
        m.put("sm_count", smCount);
        return m;
    }
}
