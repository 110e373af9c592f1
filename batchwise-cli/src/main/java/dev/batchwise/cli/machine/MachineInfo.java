package dev.batchwise.cli.machine;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The machine a command runs on: CPU, JDK, memory, Vector API and CUDA. Printed by
 * {@code batchwise info} and in the header of every bench report.
 *
 * @param cpuModel the CPU model name from {@code /proc/cpuinfo}
 * @param cores available processors
 * @param os operating system name, version and architecture
 * @param jdkVersion {@code java.runtime.version}
 * @param jdkVendor {@code java.vendor}
 * @param vmName {@code java.vm.name}
 * @param maxHeapBytes {@link Runtime#maxMemory()}
 * @param vectorSpecies {@code FloatVector.SPECIES_PREFERRED} as text, or {@code null}
 * @param vectorUnavailableReason why the Vector API is unusable, or {@code null}
 * @param cuda the CUDA driver and GPUs
 * @param date when this was collected (UTC, seconds)
 */
public record MachineInfo(String cpuModel, int cores, String os, String jdkVersion, String jdkVendor, String vmName,
                          long maxHeapBytes, String vectorSpecies, String vectorUnavailableReason, CudaStatus cuda,
                          Instant date) {
    /** Describes this JVM's machine now. */
    public static MachineInfo collect() {
        return new MachineInfo(
                CpuModel.read(Path.of("/proc/cpuinfo")),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.runtime.version"),
                System.getProperty("java.vendor"),
                System.getProperty("java.vm.name"),
                Runtime.getRuntime().maxMemory(),
                VectorSupport.preferredFloatSpecies(),
                VectorSupport.unavailableReason(),
                CudaStatus.probe(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    /** {@code "JDK 25+36-LTS (Eclipse Adoptium)"}. */
    public String jdk() {
        return "JDK " + jdkVersion + " (" + jdkVendor + ")";
    }

    /** The GPUs, one per line ("NVIDIA H200, …"), or "none (reason)". */
    public String gpuSummary() {
        if (!cuda.usable()) {
            return "none (" + cuda.unavailableReason() + ")";
        }
        List<String> names = new ArrayList<>();
        for (GpuInfo g : cuda.gpus()) {
            names.add(g.name());
        }
        return String.join(", ", names) + (cuda.driverVersion() == null ? "" : " (CUDA driver " + cuda.driverVersion() + ")");
    }

    /** One header line: CPU, cores, JDK and GPU. */
    public String headerLine() {
        return String.format(Locale.ROOT, "machine: %s, %d cores | %s | GPU: %s", cpuModel, cores, jdk(), gpuSummary());
    }

    /** The fields as the {@code "machine"} object of the bench JSON (snake_case keys). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", date.toString());
        m.put("cpu", cpuModel);
        m.put("cores", cores);
        m.put("os", os);
        m.put("jdk", jdkVersion);
        m.put("jdk_vendor", jdkVendor);
        m.put("vm", vmName);
        m.put("max_heap_bytes", maxHeapBytes);
        m.put("vector_species", vectorSpecies);
        m.put("cuda_driver", cuda.driverVersion());
        List<Object> gpus = new ArrayList<>();
        for (GpuInfo g : cuda.gpus()) {
            gpus.add(g.toJson());
        }
        m.put("gpus", gpus);
        if (cuda.unavailableReason() != null) {
            m.put("cuda_unavailable_reason", cuda.unavailableReason());
        }
        return m;
    }
}
