package dev.batchwise.loss;

import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;

/**
 * Moves host results to the device of the inputs. The losses have no CUDA kernels yet: CUDA inputs
 * are copied to the host (which waits for the device), computed there, and the value and gradient
 * are returned on the inputs' device.
 */
final class HostFallback {
    private HostFallback() {}

    static Tensor onDevice(Tensor host, Device device) {
        if (device.isCpu()) {
            return host;
        }
        Tensor moved = host.to(device);
        host.close();
        return moved;
    }

    static LossResult onDevice(LossResult r, Device device) {
        return new LossResult(onDevice(r.value(), device), onDevice(r.gradient(), device));
    }
}
