package dev.batchwise.cuda;

/**
 * Entry point of the CUDA backend: is a driver with a GPU usable here?
 *
 * <p>The first query opens {@code libcuda.so.1} through the Foreign Function &amp; Memory API,
 * calls {@code cuInit(0)}, {@code cuDeviceGetCount} and {@code cuDriverGetVersion}, and remembers
 * the outcome for the life of the JVM. Nothing here throws at class-loading time or on a machine
 * without a driver: {@link #isAvailable()} is then false and {@link #unavailableReason()} says why
 * ("libcuda.so.1 not found (no NVIDIA driver installed)", "no CUDA device", …).
 *
 * <p>Setting the system property {@code batchwise.cuda.disable=true} makes CUDA unavailable on
 * purpose (everything then runs on the CPU).
 */
public final class Cuda {
    private Cuda() {}

    private record State(String reason, int deviceCount, int driverVersion) {}

    private static volatile State state;

    /** True when the driver loads and reports at least one device. Never throws. */
    public static boolean isAvailable() {
        return state().reason == null;
    }

    /** Why CUDA is unusable, or {@code null} when it is usable. Never throws. */
    public static String unavailableReason() {
        return state().reason;
    }

    /** Number of CUDA devices ({@code cuDeviceGetCount}); 0 when CUDA is unavailable. */
    public static int deviceCount() {
        return state().deviceCount;
    }

    /**
     * The driver's CUDA version ({@code cuDriverGetVersion}): 1000 × major + 10 × minor, e.g. 13000
     * for CUDA 13.0; 0 when CUDA is unavailable.
     */
    public static int driverVersion() {
        return state().driverVersion;
    }

    /**
     * Returns normally when CUDA is usable.
     *
     * @throws IllegalStateException "CUDA is not available: " followed by {@link #unavailableReason()}
     */
    public static void requireAvailable() {
        String reason = state().reason;
        if (reason != null) {
            throw new IllegalStateException("CUDA is not available: " + reason);
        }
    }

    private static State state() {
        State s = state;
        if (s == null) {
            synchronized (Cuda.class) {
                s = state;
                if (s == null) {
                    s = probe();
                    state = s;
                }
            }
        }
        return s;
    }

    private static State probe() {
        if (Boolean.getBoolean("batchwise.cuda.disable")) {
            return unavailable("CUDA disabled by -Dbatchwise.cuda.disable=true");
        }
        try {
            CudaDriver.load();
        } catch (Throwable t) {
            return unavailable(rootMessage(t));
        }
        try {
            int rc = CudaDriver.init();
            if (rc != CuResult.SUCCESS) {
                return unavailable(initFailure(rc));
            }
            int count = CudaDriver.deviceCount();
            if (count <= 0) {
                return unavailable("no CUDA device");
            }
            return new State(null, count, CudaDriver.driverVersion());
        } catch (Throwable t) {
            return unavailable("CUDA driver initialisation failed: " + rootMessage(t));
        }
    }

    private static String initFailure(int rc) {
        return switch (rc) {
            case CuResult.NO_DEVICE -> "no CUDA device";
            case CuResult.STUB_LIBRARY -> "libcuda.so.1 is the CUDA toolkit's stub library, not an NVIDIA driver";
            case CuResult.INSUFFICIENT_DRIVER -> "the NVIDIA driver is too old";
            default -> "cuInit failed: " + CudaDriver.errorName(rc) + " (" + rc + "): " + CudaDriver.errorString(rc);
        };
    }

    private static State unavailable(String reason) {
        return new State(reason, 0, 0);
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c instanceof ExceptionInInitializerError && c.getCause() != null) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return m != null ? m : c.toString();
    }
}
