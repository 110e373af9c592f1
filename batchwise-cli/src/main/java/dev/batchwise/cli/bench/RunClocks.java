package dev.batchwise.cli.bench;

import dev.batchwise.tensor.Device;

/** The {@link RunClock} for each device. */
public final class RunClocks {
    private RunClocks() {}

    /**
     * The wall clock on the CPU; on a CUDA device, the clock that records events on its current
     * stream and synchronises it after each run.
     *
     * @throws IllegalStateException when {@code device} is a GPU and CUDA is not usable
     */
    public static RunClock forDevice(Device device) {
        if (device.isCpu()) {
            return RunClock.wall();
        }
        if (!Device.cudaAvailable()) {
            throw new IllegalStateException("cannot time on " + device + ": " + Device.cudaUnavailableReason());
        }
        return new CudaClock(device);
    }
}
