package dev.batchwise.cli.bench.workloads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.batchwise.cli.bench.BenchCase;
import dev.batchwise.cli.bench.Workload;
import dev.batchwise.ragged.RaggedBatch;
import dev.batchwise.ragged.RaggedOps;
import dev.batchwise.tensor.Device;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The baselines compute what the batched ops compute, and every case runs (timing is not checked). */
class RaggedWorkloadsTest {
    @Test
    void baselinesAgreeWithTheBatchedOps() {
        try (RaggedWorkloads.Inputs in = new RaggedWorkloads.Inputs(Device.CPU)) {
            assertArrayEquals(RaggedOps.indexingAccess(in.data, in.indices, 0).data().toFloatArray(),
                    in.perSampleAccess().toFloatArray());
            assertArrayEquals(RaggedOps.indexingWrite(in.matched, in.indices, in.data).toFloatArray(),
                    in.perSampleWrite().toFloatArray());
            RaggedBatch combined = RaggedBatch.combine(in.pieces);
            assertEquals(RaggedWorkloads.MAX_MATCHES, combined.maxSampleSize());
            assertArrayEquals(combined.data().toFloatArray(), in.perSampleCombine().toFloatArray());
            assertArrayEquals(in.sizes, combined.sampleSizes().toLongArray());
        }
    }

    @Test
    void everyCaseRuns() throws Exception {
        for (Workload w : List.of(RaggedWorkloads.indexingAccess(), RaggedWorkloads.indexingWrite(),
                RaggedWorkloads.combine())) {
            List<BenchCase> cases = w.cases(Device.CPU);
            assertEquals(List.of("batchwise", "baseline"), cases.stream().map(BenchCase::implementation).toList());
            for (BenchCase c : cases) {
                c.run();
            }
            for (BenchCase c : cases) {
                c.close();
            }
        }
    }
}
