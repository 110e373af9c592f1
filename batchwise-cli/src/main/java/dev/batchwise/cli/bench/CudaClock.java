package dev.batchwise.cli.bench;

import dev.batchwise.cuda.CudaEvent;
import dev.batchwise.cuda.CudaStream;
import dev.batchwise.tensor.Device;

/**
 * Times a run on a GPU two ways: CUDA events recorded on the device's current stream before and
 * after the run give the device time; the wall clock runs from before the call until that stream
 * has been synchronised, i.e. until the results are usable on the host.
 */
final class CudaClock implements RunClock {
    private final Device device;
    private final CudaEvent start;
    private final CudaEvent stop;

    CudaClock(Device device) {
        this.device = device;
        this.start = CudaEvent.create(device);
        CudaEvent s;
        try {
            s = CudaEvent.create(device);
        } catch (RuntimeException e) {
            start.close();
            throw e;
        }
        this.stop = s;
    }

    @Override
    public Sample time(BenchCase benchCase) throws Exception {
        CudaStream stream = CudaStream.current(device);
        long t0 = System.nanoTime();
        start.record(stream);
        benchCase.run();
        // run() may have switched streams temporarily; the results are on the current one.
        CudaStream after = CudaStream.current(device);
        stop.record(after);
        after.synchronize();
        long t1 = System.nanoTime();
        return new Sample((t1 - t0) / 1e6, stop.elapsedMillisSince(start));
    }

    @Override
    public boolean measuresDeviceTime() {
        return true;
    }

    @Override
    public void close() {
        start.close();
        stop.close();
    }
}
