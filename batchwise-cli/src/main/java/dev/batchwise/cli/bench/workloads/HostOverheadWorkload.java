package dev.batchwise.cli.bench.workloads;

import dev.batchwise.cli.bench.BenchCase;
import dev.batchwise.cli.bench.Workload;
import dev.batchwise.cuda.CudaEvent;
import dev.batchwise.cuda.CudaKernel;
import dev.batchwise.cuda.CudaMemory;
import dev.batchwise.cuda.CudaModule;
import dev.batchwise.cuda.CudaStream;
import dev.batchwise.cuda.DeviceErrorFlag;
import dev.batchwise.ragged.RaggedBatch;
import dev.batchwise.ragged.RaggedOps;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the host time of a small GPU op goes: each case repeats one runtime primitive (a launch,
 * an allocation and free, a memset, an error flag, a small host-to-device copy, an event record,
 * a synchronisation of an idle stream) or one W1 ragged op {@value #REPEATS} times without
 * waiting in between, so the rate column is the host cost per call (the GPU keeps up with all of
 * them). Compare with the end-to-end times of the W1-ragged workloads, which wait for each call.
 */
public final class HostOverheadWorkload implements Workload {
    /** Calls per timed run. */
    public static final int REPEATS = 200;

    /** Creates the workload. */
    public HostOverheadWorkload() {}

    @Override
    public String id() {
        return "T0-host";
    }

    @Override
    public String description() {
        return "host cost per call of runtime primitives and W1 ragged ops, " + REPEATS + " calls per run";
    }

    private interface Body {
        void call() throws Exception;
    }

    private static BenchCase repeated(String name, Body body) {
        return BenchCase.of(name, () -> {
            for (int i = 0; i < REPEATS; i++) {
                body.call();
            }
        }).withItemsPerRun(REPEATS);
    }

    @Override
    public List<BenchCase> cases(Device device) throws Exception {
        if (!device.isCuda()) {
            return List.of();
        }
        CudaStream s = CudaStream.current(device);
        CudaKernel noop = CudaModule.load(device, "tensor").function("bw_noop");
        CudaEvent event = CudaEvent.create(device);
        RaggedWorkloads.Inputs in = new RaggedWorkloads.Inputs(device);
        long[] one = {1};
        Tensor scratch = Tensor.empty(DType.UINT8, device, 64);
        List<BenchCase> out = new ArrayList<>();
        out.add(BenchCase.of("launch", () -> {
            for (int i = 0; i < REPEATS; i++) {
                noop.launch(s).grid(1).block(32).run();
            }
        }, () -> {
            s.synchronize();
            event.close();
            scratch.close();
            in.close();
        }).withItemsPerRun(REPEATS));
        out.add(repeated("alloc+free 4 KiB", () -> CudaMemory.freeAsync(s, CudaMemory.allocAsync(s, 4096))));
        out.add(repeated("tensor empty+close 4 KiB", () -> Tensor.empty(DType.FLOAT32, device, 1024).close()));
        out.add(repeated("tensor empty+flag+close", () -> {
            Tensor t = Tensor.empty(DType.FLOAT32, device, 1024);
            DeviceErrorFlag.create(s).attachTo("bench", t);
            t.close();
        }));
        out.add(repeated("memset 64 B", () -> CudaMemory.memsetD8Async(s, scratch.devicePointer(), (byte) 0, 64)));
        out.add(repeated("H2D 8 B (Tensor.to)", () -> Tensor.of(one).to(device).close()));
        out.add(repeated("event record", () -> event.record(s)));
        out.add(repeated("sync idle stream", s::synchronize));
        out.add(repeated("ragged access", () -> RaggedOps.indexingAccess(in.data, in.indices, 0).close()));
        out.add(repeated("ragged write", () -> RaggedOps.indexingWrite(in.matched, in.indices, in.data).close()));
        out.add(repeated("ragged combine", () -> RaggedWorkloads.closeWithSizes(RaggedBatch.combine(in.pieces))));
        return out;
    }
}
