package dev.batchwise.tensor;

import dev.batchwise.cuda.Cuda;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a tensor's memory lives: the host ({@link #CPU}) or one CUDA GPU ({@link #cuda(int)}).
 *
 * <p>Instances are interned value objects: {@code Device.cuda(0) == Device.cuda(0)}. Creating a
 * CUDA device object never touches the driver; using it for memory does, and fails with an
 * {@link IllegalStateException} explaining why when CUDA is not usable.
 */
public final class Device {
    /** The host: off-heap memory, computed on all CPU cores. */
    public static final Device CPU = new Device(-1);

    private static final ConcurrentHashMap<Integer, Device> CUDA_DEVICES = new ConcurrentHashMap<>();

    private final int cudaIndex;

    private Device(int cudaIndex) {
        this.cudaIndex = cudaIndex;
    }

    /**
     * The CUDA device with ordinal {@code index} (as {@code cuDeviceGet} numbers them).
     *
     * @throws IllegalArgumentException if {@code index < 0}
     */
    public static Device cuda(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("CUDA device index must be >= 0, got " + index);
        }
        return CUDA_DEVICES.computeIfAbsent(index, Device::new);
    }

    /** {@code cuda(0)}. */
    public static Device cuda() {
        return cuda(0);
    }

    /**
     * True when the NVIDIA driver loads and at least one GPU is present. Never throws; the reason
     * when false is {@link #cudaUnavailableReason()}.
     */
    public static boolean cudaAvailable() {
        return Cuda.isAvailable();
    }

    /** Why CUDA cannot be used (e.g. "libcuda.so.1 not found"), or {@code null} when it can. */
    public static String cudaUnavailableReason() {
        return Cuda.unavailableReason();
    }

    /** Number of usable CUDA devices (0 without a driver). */
    public static int cudaDeviceCount() {
        return Cuda.isAvailable() ? Cuda.deviceCount() : 0;
    }

    /** {@code cuda(0)} when CUDA is available, otherwise {@link #CPU}. */
    public static Device best() {
        return cudaAvailable() ? cuda(0) : CPU;
    }

    /**
     * Parses {@code "cpu"}, {@code "cuda"} (= cuda:0) or {@code "cuda:N"}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Device parse(String text) {
        String s = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("cpu")) {
            return CPU;
        }
        if (s.equals("cuda") || s.equals("gpu")) {
            return cuda(0);
        }
        if (s.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(s.substring(5)));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("device must be 'cpu', 'cuda' or 'cuda:N', got '" + text + "'");
    }

    /** True for {@link #CPU}. */
    public boolean isCpu() {
        return cudaIndex < 0;
    }

    /** True for a CUDA device. */
    public boolean isCuda() {
        return cudaIndex >= 0;
    }

    /**
     * The CUDA ordinal.
     *
     * @throws IllegalStateException for the CPU
     */
    public int cudaIndex() {
        if (cudaIndex < 0) {
            throw new IllegalStateException("the CPU device has no CUDA index");
        }
        return cudaIndex;
    }

    /** {@code "cpu"} or {@code "cuda:N"}. */
    @Override
    public String toString() {
        return isCpu() ? "cpu" : "cuda:" + cudaIndex;
    }
}
