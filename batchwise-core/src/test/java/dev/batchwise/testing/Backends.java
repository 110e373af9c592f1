package dev.batchwise.testing;

import dev.batchwise.tensor.Device;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The backends every contract test runs on: the CPU always, CUDA device 0 always listed but
 * skipped (with the reason) when no GPU is usable.
 *
 * <pre>{@code
 * @ParameterizedTest
 * @MethodSource("dev.batchwise.testing.Backends#all")
 * void copiesRoundTrip(Device device) {
 *     Backends.assumeUsable(device);
 *     ...
 * }
 * }</pre>
 */
public final class Backends {
    private Backends() {}

    /** CPU and cuda:0. */
    public static Stream<Device> all() {
        return Stream.of(Device.CPU, Device.cuda(0));
    }

    /** Only cuda:0 (for CUDA-vs-CPU agreement tests). */
    public static Stream<Device> cuda() {
        return Stream.of(Device.cuda(0));
    }

    /** Skips the test (reported as skipped, with the reason) when {@code device} is CUDA and unusable. */
    public static void assumeUsable(Device device) {
        if (device.isCuda()) {
            Assumptions.assumeTrue(Device.cudaAvailable(),
                    () -> "CUDA test skipped: " + Device.cudaUnavailableReason());
        }
    }
}
