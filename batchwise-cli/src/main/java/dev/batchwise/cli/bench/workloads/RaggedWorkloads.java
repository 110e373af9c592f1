package dev.batchwise.cli.bench.workloads;

import dev.batchwise.cli.bench.BenchCase;
import dev.batchwise.cli.bench.Workload;
import dev.batchwise.cpu.HostArrays;
import dev.batchwise.ragged.RaggedBatch;
import dev.batchwise.ragged.RaggedOps;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Ragged-batch workloads at the W1 shapes: 48 samples (8 × 6 cameras) of 644 entries × 10 values
 * (FLOAT32), with 10–80 matched entries per sample (INT64 indices). Each compares the batched op
 * ("batchwise") with the per-sample loop ("baseline"): the same op called once per sample on
 * one-sample views, results copied into the batch — the straightforward way to write it without
 * batching.
 */
public final class RaggedWorkloads {
    static final int SAMPLES = 48;
    static final int ENTRIES = 644;
    static final int VALUES = 10;
    static final int MIN_MATCHES = 10;
    static final int MAX_MATCHES = 80;

    private RaggedWorkloads() {}

    /** Gather of the matched entries: {@link RaggedOps#indexingAccess}. */
    public static Workload indexingAccess() {
        return new Simple("W1-ragged-access", "RaggedOps.indexingAccess: gather 10-80 of 644 x 10 values in 48 samples",
                (in, device) -> List.of(
                        BenchCase.of("batchwise", () -> RaggedOps.indexingAccess(in.data, in.indices, 0).close()),
                        BenchCase.of("baseline", () -> in.perSampleAccess().close())));
    }

    /** Scatter of matched values into a copy of the full tensor: {@link RaggedOps#indexingWrite}. */
    public static Workload indexingWrite() {
        return new Simple("W1-ragged-write", "RaggedOps.indexingWrite: write 10-80 entries into 644 x 10 values in 48 samples",
                (in, device) -> List.of(
                        BenchCase.of("batchwise", () -> RaggedOps.indexingWrite(in.matched, in.indices, in.data).close()),
                        BenchCase.of("baseline", () -> in.perSampleWrite().close())));
    }

    /** Packing 48 per-sample tensors of 10-80 x 10 values: {@link RaggedBatch#combine}. */
    public static Workload combine() {
        return new Simple("W1-ragged-combine", "RaggedBatch.combine: 48 samples of 10-80 x 10 values into one padded batch",
                (in, device) -> List.of(
                        BenchCase.of("batchwise", () -> closeWithSizes(RaggedBatch.combine(in.pieces))),
                        BenchCase.of("baseline", () -> in.perSampleCombine().close())));
    }

    /**
     * Frees a combined batch: its data and its sizes, which combine made for it alone
     * ({@link RaggedBatch#close()} frees only the data, since sizes are usually shared).
     */
    static void closeWithSizes(RaggedBatch combined) {
        combined.data().close();
        combined.sampleSizes().close();
    }

    /** Seeded inputs on one device; freed by {@link #close()}. */
    static final class Inputs implements AutoCloseable {
        final Tensor data;          // (48, 644, 10)
        final RaggedBatch indices;  // (48, 80) INT64, sizes 10..80
        final Tensor matched;       // (48, 80, 10)
        final List<Tensor> pieces = new ArrayList<>(); // 48 x (n_b, 10)
        final long[] sizes = new long[SAMPLES];
        final Device device;

        Inputs(Device device) {
            this.device = device;
            SplittableRandom rnd = new SplittableRandom(2026);
            float[] values = new float[SAMPLES * ENTRIES * VALUES];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) rnd.nextDouble(-1, 1);
            }
            long[] idx = new long[SAMPLES * MAX_MATCHES];
            for (int b = 0; b < SAMPLES; b++) {
                sizes[b] = rnd.nextInt(MIN_MATCHES, MAX_MATCHES + 1);
                long[] perm = Arrays.stream(HostArrays.permutation(rnd, ENTRIES)).asLongStream().toArray();
                System.arraycopy(perm, 0, idx, b * MAX_MATCHES, (int) sizes[b]);
            }
            // temporaries die with this scope; the inputs are detached and freed by close()
            try (Scope tmp = Scope.open()) {
                Tensor host = Tensor.of(values, SAMPLES, ENTRIES, VALUES);
                data = keep(tmp, host.to(device).copy());
                indices = RaggedBatch.of(keep(tmp, Tensor.of(idx, SAMPLES, MAX_MATCHES).to(device).copy()),
                        keep(tmp, Tensor.of(sizes).to(device).copy()));
                matched = keep(tmp, RaggedOps.indexingAccess(data, indices, 0).data());
                for (int b = 0; b < SAMPLES; b++) {
                    pieces.add(keep(tmp, host.select(0, b).narrow(0, 0, sizes[b]).copy().to(device).copy()));
                }
            }
        }

        private final List<Tensor> owned = new ArrayList<>();

        private Tensor keep(Scope tmp, Tensor t) {
            owned.add(tmp.detach(t));
            return t;
        }

        /** One-sample index batch of sample {@code b} (views). */
        private RaggedBatch sampleIndices(int b) {
            return RaggedBatch.of(indices.data().narrow(0, b, 1), indices.sampleSizes().narrow(0, b, 1));
        }

        Tensor perSampleAccess() {
            Tensor out = Tensor.empty(DType.FLOAT32, device, SAMPLES, MAX_MATCHES, VALUES);
            try (Scope s = Scope.open()) {
                for (int b = 0; b < SAMPLES; b++) {
                    out.narrow(0, b, 1).copyFrom(RaggedOps.indexingAccess(data.narrow(0, b, 1), sampleIndices(b), 0).data());
                }
            }
            return out;
        }

        Tensor perSampleWrite() {
            Tensor out = Tensor.empty(DType.FLOAT32, device, SAMPLES, ENTRIES, VALUES);
            try (Scope s = Scope.open()) {
                for (int b = 0; b < SAMPLES; b++) {
                    out.narrow(0, b, 1).copyFrom(RaggedOps.indexingWrite(matched.narrow(0, b, 1), sampleIndices(b),
                            data.narrow(0, b, 1)));
                }
            }
            return out;
        }

        Tensor perSampleCombine() {
            Tensor out = Tensor.zeros(DType.FLOAT32, device, SAMPLES, MAX_MATCHES, VALUES);
            for (int b = 0; b < SAMPLES; b++) {
                out.select(0, b).narrow(0, 0, sizes[b]).copyFrom(pieces.get(b));
            }
            Tensor.of(sizes).to(device).close(); // the sizes tensor a combined batch carries
            return out;
        }

        @Override
        public void close() {
            for (Tensor t : owned) {
                t.close();
            }
        }
    }

    /** A workload whose cases share one {@link Inputs}. */
    private static final class Simple implements Workload {
        interface Cases {
            List<BenchCase> build(Inputs inputs, Device device);
        }

        private final String id;
        private final String description;
        private final Cases cases;

        Simple(String id, String description, Cases cases) {
            this.id = id;
            this.description = description;
            this.cases = cases;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String description() {
            return description;
        }

        @Override
        public List<BenchCase> cases(Device device) {
            Inputs in = new Inputs(device);
            List<BenchCase> built = cases.build(in, device);
            // the first case owns the shared inputs: the harness closes every case
            List<BenchCase> out = new ArrayList<>();
            for (int i = 0; i < built.size(); i++) {
                BenchCase c = built.get(i);
                out.add(i == 0 ? BenchCase.of(c.implementation(), c::run, () -> {
                    c.close();
                    in.close();
                }) : c);
            }
            return out;
        }
    }
}
