package dev.batchwise.ragged;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.batchwise.cpu.HostArrays;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * CPU ragged ops at the W1 sizes (48 samples, 644 entries of 10 values, 10-80 indices per sample),
 * where they split their samples across threads, against the per-element loop reference
 * ({@link LoopReference}); the small random batches of {@code RaggedPropertiesTest} run on one
 * thread.
 */
class CpuRaggedSplitTest {
    private static final int SAMPLES = 48;
    private static final int ENTRIES = 644;
    private static final int VALUES = 10;
    private static final int MAX_MATCHES = 80;

    @Test
    void w1SizedOpsMatchTheLoopReference() {
        for (int round = 0; round < 3; round++) {
            try (Scope s = Scope.open()) {
                SplittableRandom rnd = new SplittableRandom(100 + round);
                float[] values = new float[SAMPLES * ENTRIES * VALUES];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) rnd.nextDouble(-1, 1);
                }
                Tensor data = Tensor.of(values, SAMPLES, ENTRIES, VALUES);
                long[] idx = new long[SAMPLES * MAX_MATCHES];
                long[] sizes = new long[SAMPLES];
                long[] entrySizes = new long[SAMPLES];
                for (int b = 0; b < SAMPLES; b++) {
                    sizes[b] = rnd.nextInt(10, MAX_MATCHES + 1);
                    entrySizes[b] = rnd.nextInt(0, ENTRIES + 1);
                    long[] perm = Arrays.stream(HostArrays.permutation(rnd, ENTRIES)).asLongStream().toArray();
                    System.arraycopy(perm, 0, idx, b * MAX_MATCHES, (int) sizes[b]);
                }
                RaggedBatch indices = RaggedBatch.of(Tensor.of(idx, SAMPLES, MAX_MATCHES), Tensor.of(sizes));

                Tensor matched = RaggedOps.indexingAccess(data, indices, 0).data();
                assertArrayEquals(LoopReference.gather(data, indices, 0, 1).toDoubleArray(), matched.toDoubleArray(),
                        "indexingAccess, round " + round);

                Tensor written = RaggedOps.indexingWrite(matched, indices, data);
                assertArrayEquals(LoopReference.scatter(matched, indices, data, 1, false).toDoubleArray(),
                        written.toDoubleArray(), "indexingWrite, round " + round);

                RaggedBatch batch = RaggedBatch.of(data, Tensor.of(entrySizes));
                assertArrayEquals(LoopReference.paddedSet(batch, -7).toDoubleArray(),
                        batch.withPaddedSetTo(-7).data().toDoubleArray(), "withPaddedSetTo, round " + round);
                assertArrayEquals(LoopReference.reduce(batch, false).toDoubleArray(),
                        RaggedOps.sumOverTargets(batch).toDoubleArray(), 1e-4, "sumOverTargets, round " + round);
            }
        }
    }

}
