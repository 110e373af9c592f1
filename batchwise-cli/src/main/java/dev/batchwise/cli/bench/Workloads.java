package dev.batchwise.cli.bench;

import dev.batchwise.cli.bench.workloads.AssignmentWorkloads;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The registry of workloads {@code batchwise bench} knows, in report order. */
public final class Workloads {
    private Workloads() {}

    /** Every registered workload (new instances). Add a line per workload. */
    public static List<Workload> all() {
        List<Supplier<Workload>> registry = List.of(
                // foundation workloads (copies, launch latency) …
                // ragged (W1 shapes) …
                // assignment (W2) …
                AssignmentWorkloads::w2a, AssignmentWorkloads::w2b, AssignmentWorkloads::w2c,
                AssignmentWorkloads::w2d, AssignmentWorkloads::w2e, AssignmentWorkloads::w2f,
                AssignmentWorkloads::w2g
                // heatmaps (W3) …
                // loss step (W1) …
        );
        List<Workload> out = new ArrayList<>();
        for (Supplier<Workload> s : registry) {
            out.add(s.get());
        }
        return out;
    }
}
