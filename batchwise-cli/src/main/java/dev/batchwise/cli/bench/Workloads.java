package dev.batchwise.cli.bench;

import dev.batchwise.cli.bench.foundation.CopyBandwidthWorkload;
import dev.batchwise.cli.bench.foundation.CpuCopyWorkload;
import dev.batchwise.cli.bench.foundation.LaunchLatencyWorkload;
import dev.batchwise.cli.bench.foundation.RoundTripWorkload;
import dev.batchwise.cli.bench.workloads.AssignmentWorkloads;
import dev.batchwise.cli.bench.workloads.HeatmapWorkloads;
import dev.batchwise.cli.bench.workloads.HostOverheadWorkload;
import dev.batchwise.cli.bench.workloads.RaggedWorkloads;
import dev.batchwise.cli.bench.workloads.W1Workloads;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The registry of workloads {@code batchwise bench} knows, in report order. */
public final class Workloads {
    private Workloads() {}

    /** Every registered workload (new instances). Add one {@code registry.add(…)} line per workload. */
    public static List<Workload> all() {
        List<Supplier<Workload>> registry = new ArrayList<>();
        // foundation workloads (copies, launch latency)
        registry.add(CpuCopyWorkload::new);
        registry.add(CopyBandwidthWorkload::mib64);
        registry.add(CopyBandwidthWorkload::mib256);
        registry.add(LaunchLatencyWorkload::new);
        registry.add(RoundTripWorkload::new);
        // ragged (W1 shapes)
        registry.add(RaggedWorkloads::indexingAccess);
        registry.add(RaggedWorkloads::indexingWrite);
        registry.add(RaggedWorkloads::combine);
        registry.add(HostOverheadWorkload::new);
        // assignment (W2)
        registry.add(AssignmentWorkloads::w2a);
        registry.add(AssignmentWorkloads::w2b);
        registry.add(AssignmentWorkloads::w2c);
        registry.add(AssignmentWorkloads::w2d);
        registry.add(AssignmentWorkloads::w2e);
        registry.add(AssignmentWorkloads::w2f);
        registry.add(AssignmentWorkloads::w2g);
        // heatmaps (W3)
        registry.add(HeatmapWorkloads::w3a);
        registry.add(HeatmapWorkloads::w3b);
        registry.add(HeatmapWorkloads::w3c);
        registry.add(HeatmapWorkloads::w3d);
        // loss step (W1)
        registry.add(W1Workloads::new);
        List<Workload> out = new ArrayList<>();
        for (Supplier<Workload> s : registry) {
            out.add(s.get());
        }
        return out;
    }
}
