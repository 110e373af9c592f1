package dev.batchwise.cli.bench.foundation;

import dev.batchwise.cli.bench.BenchCase;
import dev.batchwise.cli.bench.Workload;
import dev.batchwise.cuda.CudaKernel;
import dev.batchwise.cuda.CudaModule;
import dev.batchwise.cuda.CudaStream;
import dev.batchwise.tensor.Device;
import java.util.List;

/**
 * {@code T0-roundtrip}: the end-to-end floor of any operation that is one kernel launch — one
 * launch of the empty kernel {@code bw_noop} per run, and the harness's stream synchronisation
 * after it, so the wall time is host launch + the GPU starting and finishing a kernel + the host
 * seeing it finish. The microsecond-scale targets (ragged ops, W3) are read against it. Not
 * applicable on the CPU.
 */
public final class RoundTripWorkload implements Workload {
    /** Creates the workload. */
    public RoundTripWorkload() {}

    @Override
    public String id() {
        return "T0-roundtrip";
    }

    @Override
    public String description() {
        return "one empty kernel launch + stream sync: the end-to-end floor of a one-kernel op";
    }

    @Override
    public List<BenchCase> cases(Device device) {
        if (!device.isCuda()) {
            return List.of();
        }
        CudaKernel noop = CudaModule.load(device, "tensor").function("bw_noop");
        return List.of(BenchCase.of("empty kernel",
                () -> noop.launch(CudaStream.current(device)).grid(1).block(1).run()));
    }
}
