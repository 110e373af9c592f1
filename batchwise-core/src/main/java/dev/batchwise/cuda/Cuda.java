package dev.batchwise.cuda;

/** Entry point of the CUDA backend: is a driver with a GPU usable here? */
public final class Cuda {
    private Cuda() {}

    /** True when the driver loads and reports at least one device. Never throws. */
    public static boolean isAvailable() {
        return false;
    }

    /** Why CUDA is unusable, or {@code null} when it is usable. */
    public static String unavailableReason() {
        return "the CUDA backend is not built yet";
    }

    /** Number of CUDA devices. */
    public static int deviceCount() {
        return 0;
    }
}
