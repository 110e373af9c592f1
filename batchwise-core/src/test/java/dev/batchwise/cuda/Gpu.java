package dev.batchwise.cuda;

import dev.batchwise.tensor.Device;
import dev.batchwise.testing.Backends;

/** Test helper: cuda:0 after skipping the test (with the reason) when no GPU is usable. */
final class Gpu {
    private Gpu() {}

    static Device device() {
        Device d = Device.cuda(0);
        Backends.assumeUsable(d);
        return d;
    }
}
