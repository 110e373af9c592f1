package dev.batchwise.ragged;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Sizes at which the CUDA kernels change strategy: combine over more samples than one launch's
 * by-value table holds, and writes into samples that one block, several blocks or (when the
 * blocks' scans would cost too much) a copy and a second launch handle. CPU results against the loop reference; on a
 * machine with a GPU the CUDA result must equal the CPU result.
 */
class RaggedLaunchShapesTest {

    private static void check(Tensor expected, Function<Device, Tensor> op) {
        try (Scope s = Scope.open()) {
            Tensor cpu = op.apply(Device.CPU);
            assertArrayEquals(expected.shape(), cpu.shape());
            assertArrayEquals(expected.toDoubleArray(), cpu.toDoubleArray());
            Device cuda = RandomRagged.cudaIfUsable();
            if (cuda != null) {
                Tensor gpu = op.apply(cuda);
                assertEquals(cuda, gpu.device());
                assertArrayEquals(cpu.toDoubleArray(), gpu.toDoubleArray());
            }
        }
    }

    private static Tensor randomData(SplittableRandom rnd, long... shape) {
        int n = Math.toIntExact(dev.batchwise.tensor.Shapes.numel(shape));
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextInt(-1000, 1000);
        }
        return Tensor.of(v, shape);
    }

    @Test
    void combineOfMoreSamplesThanOneLaunchTableHolds() {
        try (Scope scope = Scope.open()) { // frees every tensor made here
            combineOfManySamples();
        }
    }

    private static void combineOfManySamples() {
        SplittableRandom rnd = new SplittableRandom(7);
        int n = CudaRaggedKernels.COMBINE_TABLE * 2 + 13;
        List<Tensor> samples = new ArrayList<>();
        long[] sizes = new long[n];
        for (int i = 0; i < n; i++) {
            sizes[i] = rnd.nextInt(4);
            samples.add(randomData(rnd, sizes[i], 2));
        }
        Tensor expected = Tensor.zeros(DType.FLOAT32, Device.CPU, n, 3, 2);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < sizes[i]; j++) {
                for (int q = 0; q < 2; q++) {
                    expected.set(samples.get(i).getDouble(j, q), i, j, q);
                }
            }
        }
        check(expected, d -> {
            List<Tensor> moved = new ArrayList<>();
            for (Tensor t : samples) {
                moved.add(t.to(d));
            }
            RaggedBatch rb = RaggedBatch.combine(moved);
            assertArrayEquals(sizes, rb.sampleSizes().toLongArray());
            return rb.data();
        });
    }

    @Test
    void writesIntoSmallAndLargeSamples() {
        try (Scope scope = Scope.open()) { // frees every tensor made here
            writesIntoSamplesOfThreeSizes();
        }
    }

    private static void writesIntoSamplesOfThreeSizes() {
        SplittableRandom rnd = new SplittableRandom(11);
        // entries per sample x values 3: one block per sample, several blocks per sample, several blocks
        // whose threads scan more entries than one unrolled pass holds (SCAN_UNROLL x 256 threads in
        // ragged.cu: 400 x 3 > 1024), and so many blocks per sample that their scans would cost more
        // than the copy (copy, then a second launch)
        long perBlock = CudaRaggedKernels.ONTO_ELEMENTS_PER_BLOCK / 3;
        long[][] entriesAndWidth = {{40, 6}, {5 * perBlock + 8, 6}, {5000, 400}, {3001, 3001}};
        for (long[] ew : entriesAndWidth) {
            long entries = ew[0];
            long width = ew[1];
            long samples = 3;
            Tensor into = randomData(rnd, samples, entries, 3);
            Tensor toWrite = randomData(rnd, samples, width, 3);
            long[] idx = new long[(int) (samples * width)];
            long[] sizes = {width, 0, width * 2 / 3};
            for (int b = 0; b < samples; b++) {
                // distinct targets per sample (duplicates would leave an unspecified winner), some negative
                long start = rnd.nextLong(entries);
                for (int j = 0; j < width; j++) {
                    long e = (start + 7L * j) % entries; // 7 is prime to every extent used here
                    idx[(int) (b * width + j)] = rnd.nextBoolean() ? e : e - entries;
                }
            }
            RaggedBatch indices = RaggedBatch.of(Tensor.of(idx, samples, width), Tensor.of(sizes));
            check(LoopReference.scatter(toWrite, indices, into, 1, false),
                    d -> RaggedOps.indexingWrite(toWrite.to(d), indices.to(d), into.to(d)));
            // index mapping: source entries at other indices into the same target
            long[] src = new long[idx.length];
            for (int i = 0; i < src.length; i++) {
                src[i] = rnd.nextLong(0, width);
            }
            RaggedBatch sourceIdx = RaggedBatch.of(Tensor.of(src, samples, width), Tensor.of(sizes));
            check(LoopReference.mapping(toWrite, sourceIdx, indices, into, 1),
                    d -> RaggedOps.indexMapping(toWrite.to(d), sourceIdx.to(d), indices.to(d), into.to(d)));
        }
    }
}
