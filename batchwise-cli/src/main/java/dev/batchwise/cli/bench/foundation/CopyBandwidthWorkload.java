package dev.batchwise.cli.bench.foundation;

import dev.batchwise.cli.bench.BenchCase;
import dev.batchwise.cli.bench.Workload;
import dev.batchwise.cuda.CudaMemory;
import dev.batchwise.cuda.CudaStream;
import dev.batchwise.cuda.PinnedBuffer;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code T0-copy-<size>}: host↔device copy bandwidth on a GPU, reported in GB/s (10^9 bytes
 * copied per second; a device-to-device copy reads and writes each byte, so it moves twice that
 * through GPU memory). Cases:
 * <ul>
 *   <li>{@code pinned-h2d}, {@code pinned-d2h}: one async copy between a pinned host buffer and a
 *       device tensor on the current stream;</li>
 *   <li>{@code pageable-h2d}, {@code pageable-d2h}: {@link Tensor#to(Device)} between an ordinary
 *       (off-heap, unpinned) CPU tensor and the GPU, including the result's allocation and free;</li>
 *   <li>{@code d2d}: one async copy between two device tensors.</li>
 * </ul>
 * Not applicable on the CPU.
 */
public final class CopyBandwidthWorkload implements Workload {
    private final long bytes;

    /** Copies of {@code bytes} bytes (a positive multiple of 4). */
    public CopyBandwidthWorkload(long bytes) {
        if (bytes <= 0 || bytes % 4 != 0) {
            throw new IllegalArgumentException("bytes must be a positive multiple of 4, got " + bytes);
        }
        this.bytes = bytes;
    }

    /** 64 MiB copies. */
    public static CopyBandwidthWorkload mib64() {
        return new CopyBandwidthWorkload(64L << 20);
    }

    /** 256 MiB copies. */
    public static CopyBandwidthWorkload mib256() {
        return new CopyBandwidthWorkload(256L << 20);
    }

    @Override
    public String id() {
        return "T0-copy-" + (bytes >> 20) + "M";
    }

    @Override
    public String description() {
        return "host<->device copy bandwidth, " + Sizes.mib(bytes) + " (pinned, pageable, device-to-device)";
    }

    @Override
    public List<BenchCase> cases(Device device) {
        if (!device.isCuda()) {
            return List.of();
        }
        long floats = bytes / 4;
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            PinnedBuffer pinned = track(owned, PinnedBuffer.allocate(bytes));
            Tensor host = track(owned, Tensor.zeros(DType.FLOAT32, Device.CPU, floats));
            Tensor onDevice = track(owned, host.to(device));
            Tensor deviceCopy = track(owned, Tensor.empty(DType.FLOAT32, device, floats));
            pinned.segment().fill((byte) 1);
            List<BenchCase> cases = List.of(
                    BenchCase.of("pinned-h2d", () -> CudaMemory.copyHostToDeviceAsync(
                            CudaStream.current(device), onDevice.devicePointer(), pinned.address(), bytes)),
                    BenchCase.of("pinned-d2h", () -> CudaMemory.copyDeviceToHostAsync(
                            CudaStream.current(device), pinned.address(), onDevice.devicePointer(), bytes)),
                    BenchCase.of("pageable-h2d", () -> host.to(device).close()),
                    BenchCase.of("pageable-d2h", () -> onDevice.to(Device.CPU).close()),
                    BenchCase.of("d2d", () -> CudaMemory.copyDeviceToDeviceAsync(
                            CudaStream.current(device), deviceCopy.devicePointer(), onDevice.devicePointer(), bytes),
                            () -> closeAll(device, owned)));
            List<BenchCase> rated = new ArrayList<>();
            for (BenchCase c : cases) {
                rated.add(c.withBytesPerRun(bytes));
            }
            return rated;
        } catch (RuntimeException e) {
            closeAll(device, owned);
            throw e;
        }
    }

    private static <T extends AutoCloseable> T track(List<AutoCloseable> owned, T resource) {
        owned.add(resource);
        return resource;
    }

    /** Waits for pending copies, then frees the buffers (a pinned buffer must outlive its copies). */
    private static void closeAll(Device device, List<AutoCloseable> owned) throws RuntimeException {
        RuntimeException first = null;
        try {
            CudaStream.current(device).synchronize();
        } catch (RuntimeException e) {
            first = e;
        }
        for (AutoCloseable c : owned.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                }
            }
        }
        owned.clear();
        if (first != null) {
            throw first;
        }
    }
}
