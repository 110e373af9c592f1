package dev.batchwise.ragged;

import static dev.batchwise.ragged.RaggedTesting.arange;
import static dev.batchwise.ragged.RaggedTesting.assertShape;
import static dev.batchwise.ragged.RaggedTesting.assertValues;
import static dev.batchwise.ragged.RaggedTesting.longs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.testing.Backends;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RaggedMaskAndReduceTest {
    private static final boolean T = true;
    private static final boolean F = false;

    /** batch 4, width 5, trailing (3, 2), sizes [3, 5, 2, 4]; masks select {0,2,4}, {1,3,4}, {0,3}, {0..4}. */
    private static Tensor simpleMask(Device device) {
        return Tensor.of(new boolean[] {T, F, T, F, T, F, T, F, T, T, T, F, F, T, F, T, T, T, T, T}, 4, 5).to(device);
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void boolIndexingSimple(Device device) {
        Backends.assumeUsable(device);
        Tensor data = arange(DType.FLOAT32, device, 4, 5, 3, 2);
        RaggedBatch rb = RaggedBatch.of(data, longs(device, new long[] {3, 5, 2, 4}));
        RaggedBatch out = RaggedOps.boolIndexing(rb, simpleMask(device));
        assertArrayEquals(new long[] {2, 3, 1, 4}, out.sampleSizes().toLongArray());
        assertShape(new long[] {4, 4, 3, 2}, out.data());
        int[][] picked = {{0, 2}, {1, 3, 4}, {0}, {0, 1, 2, 3}};
        double[] expected = new double[4 * 4 * 6];
        for (int b = 0; b < 4; b++) {
            for (int k = 0; k < picked[b].length; k++) {
                for (int e = 0; e < 6; e++) {
                    expected[(b * 4 + k) * 6 + e] = (b * 5 + picked[b][k]) * 6 + e;
                }
            }
        }
        assertValues(expected, out.data());
        // the same with a ragged mask, and with a transposed ragged axis
        RaggedBatch maskBatch = RaggedBatch.of(simpleMask(device), longs(device, new long[] {3, 5, 2, 4}));
        assertValues(expected, RaggedOps.boolIndexing(rb, maskBatch).data());
        RaggedBatch moved = rb.transposeRaggedDimTo(3);
        RaggedBatch outT = RaggedOps.boolIndexing(moved, maskBatch);
        assertEquals(3, outT.raggedDim());
        assertValues(expected, outT.transposeRaggedDimTo(1).data());
        // plain data with a ragged mask, and both plain (all entries valid)
        assertValues(expected, RaggedOps.boolIndexing(data, maskBatch).data());
        RaggedBatch plain = RaggedOps.boolIndexing(data, simpleMask(device));
        assertArrayEquals(new long[] {3, 3, 2, 5}, plain.sampleSizes().toLongArray());
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void boolIndexingEdgeCases(Device device) {
        Backends.assumeUsable(device);
        Tensor data = arange(DType.INT64, device, 3, 4, 2);
        RaggedBatch none = RaggedOps.boolIndexing(data, Tensor.zeros(DType.BOOL, device, 3, 4));
        assertShape(new long[] {3, 0, 2}, none.data());
        assertArrayEquals(new long[] {0, 0, 0}, none.sampleSizes().toLongArray());
        RaggedBatch all = RaggedOps.boolIndexing(data, Tensor.ones(DType.BOOL, device, 3, 4));
        assertValues(data.toDoubleArray(), all.data());
        // two batch dims
        RaggedBatch two = RaggedBatch.of(arange(DType.FLOAT64, device, 1, 2, 3), longs(device, new long[] {2, 3}, 1, 2));
        RaggedBatch m2 = RaggedBatch.of(Tensor.of(new boolean[] {F, T, T, T, F, T}, 1, 2, 3).to(device),
                longs(device, new long[] {2, 3}, 1, 2));
        RaggedBatch o2 = RaggedOps.boolIndexing(two, m2);
        assertArrayEquals(new long[] {1, 2}, o2.sampleSizes().toLongArray());
        assertValues(new double[] {1, 0, 3, 5}, o2.data());
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void boolIndexingWriteRoundTrip(Device device) {
        Backends.assumeUsable(device);
        Tensor data = arange(DType.FLOAT32, device, 4, 5, 3, 2);
        RaggedBatch rb = RaggedBatch.of(data, longs(device, new long[] {3, 5, 2, 4}));
        RaggedBatch picked = RaggedOps.boolIndexing(rb, simpleMask(device));
        Tensor effective = RaggedOps.applyMask(simpleMask(device), rb.mask(), 0);
        boolean[] keep = effective.toBooleanArray();
        for (int i = 0; i < keep.length; i++) {
            keep[i] = !keep[i];
        }
        Tensor holes = RaggedOps.applyMask(data, Tensor.of(keep, 4, 5).to(device), Float.NaN);
        Tensor back = RaggedOps.boolIndexingWrite(picked, RaggedBatch.of(simpleMask(device),
                longs(device, new long[] {3, 5, 2, 4})), holes);
        assertValues(data.toDoubleArray(), back);
        Tensor plainMask = RaggedOps.applyMask(simpleMask(device), rb.mask(), 0);
        assertValues(data.toDoubleArray(), RaggedOps.boolIndexingWrite(picked, plainMask, holes));
        // empty selection leaves the target unchanged
        RaggedBatch nothing = RaggedOps.boolIndexing(data, Tensor.zeros(DType.BOOL, device, 4, 5));
        assertValues(holes.toDoubleArray(), RaggedOps.boolIndexingWrite(nothing, Tensor.zeros(DType.BOOL, device, 4, 5), holes));
        // more selected than available
        assertThrows(IllegalArgumentException.class,
                () -> RaggedOps.boolIndexingWrite(nothing, Tensor.ones(DType.BOOL, device, 4, 5), holes));
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void averageAndSumOverTargets(Device device) {
        Backends.assumeUsable(device);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor data = arange(t, device, 2, 3, 4, 2);
            long[] sizes = {1, 4, 0, 2, 3, 1};
            RaggedBatch rb = RaggedBatch.of(data, longs(device, sizes, 2, 3));
            Tensor avg = RaggedOps.averageOverTargets(rb);
            Tensor sum = RaggedOps.sumOverTargets(rb);
            assertShape(new long[] {2, 3, 2}, avg);
            assertEquals(t, avg.dtype());
            double[] a = avg.toDoubleArray();
            double[] s = sum.toDoubleArray();
            for (int b = 0; b < 6; b++) {
                for (int c = 0; c < 2; c++) {
                    double acc = 0;
                    for (int j = 0; j < sizes[b]; j++) {
                        acc += (b * 4 + j) * 2 + c;
                    }
                    assertEquals(acc, s[b * 2 + c], 1e-6);
                    assertEquals(sizes[b] == 0 ? 0 : acc / sizes[b], a[b * 2 + c], 1e-6);
                }
            }
            assertEquals(Double.NaN, RaggedOps.averageOverTargets(rb, false).toDoubleArray()[4]);
        }
        Tensor ints = arange(DType.INT32, device, 2, 3);
        assertValues(new double[] {1, 12}, RaggedOps.sumOverTargets(RaggedBatch.of(ints, longs(device, new long[] {2, 3}))));
        assertThrows(IllegalArgumentException.class,
                () -> RaggedOps.averageOverTargets(RaggedBatch.of(ints, longs(device, new long[] {2, 3}))));
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void averageZeroesNonFiniteAndKeepsAxisOrder(Device device) {
        Backends.assumeUsable(device);
        Tensor d = RaggedTesting.doubles(device, DType.FLOAT64, new double[] {1, Double.NaN, 2, 3, Double.POSITIVE_INFINITY, 5}, 2, 3);
        Tensor avg = RaggedOps.averageOverTargets(RaggedBatch.of(d, longs(device, new long[] {2, 2})));
        assertValues(new double[] {0, 0}, avg);
        // ragged axis 2 with two data axes around it: (B, P, N, Q) -> (B, P, Q) in that order
        Tensor data = arange(DType.FLOAT64, device, 1, 2, 3, 2);
        Tensor s = RaggedOps.sumOverTargets(RaggedBatch.of(data, longs(device, new long[] {2}), 2));
        assertShape(new long[] {1, 2, 2}, s);
        assertValues(new double[] {0 + 2, 1 + 3, 6 + 8, 7 + 9}, s);
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void applyMaskToTensor(Device device) {
        Backends.assumeUsable(device);
        Tensor data = RaggedTesting.doubles(device, DType.FLOAT32, new double[] {1, Double.NaN, 3, 4, 5, Double.NaN, 7, 8}, 2, 2, 2);
        Tensor mask = Tensor.of(new boolean[] {T, F, T, F}, 2, 2).to(device);
        assertValues(new double[] {1, Double.NaN, -1, -1, 5, Double.NaN, -1, -1}, RaggedOps.applyMask(data, mask, -1));
        Tensor batchOnly = Tensor.of(new boolean[] {F, T}, 2).to(device);
        assertValues(new double[] {0, 0, 0, 0, 5, Double.NaN, 7, 8}, RaggedOps.applyMask(data, batchOnly));
        Tensor empty = Tensor.zeros(DType.FLOAT32, device, 0, 3);
        assertSame(empty, RaggedOps.applyMask(empty, Tensor.zeros(DType.BOOL, device, 0)));
        assertThrows(IllegalArgumentException.class, () -> RaggedOps.applyMask(data, Tensor.zeros(DType.BOOL, device, 3)));
    }

    @Test
    void squeezeExceptBatchAndSample() {
        RaggedBatch rb = RaggedBatch.of(Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 3, 5, 1, 2, 1),
                Tensor.zeros(DType.INT64, Device.CPU, 2, 3));
        RaggedBatch s = RaggedOps.squeezeExceptBatchAndSample(rb);
        assertShape(new long[] {2, 3, 5, 2}, s.data());
        assertEquals(2, s.raggedDim());
        assertShape(new long[] {2, 3, 5, 2}, RaggedOps.squeezeExceptBatchAndSample(Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 3, 5, 1, 2, 1)));
        RaggedBatch tr = RaggedBatch.of(Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 1, 2, 5, 1),
                Tensor.zeros(DType.INT64, Device.CPU, 2), 3);
        RaggedBatch st = RaggedOps.squeezeExceptBatchAndSample(tr);
        assertShape(new long[] {2, 2, 5}, st.data());
        assertEquals(2, st.raggedDim());
        RaggedBatch ones = RaggedBatch.of(Tensor.zeros(DType.FLOAT32, Device.CPU, 1, 1, 1, 1),
                Tensor.zeros(DType.INT64, Device.CPU, 1, 1));
        assertShape(new long[] {1, 1, 1}, RaggedOps.squeezeExceptBatchAndSample(ones).data());
    }

    record Named(Object boxes, Object label, String name) {}

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void compactLists(Device device) {
        Backends.assumeUsable(device);
        Tensor data = RaggedTesting.doubles(device, DType.FLOAT32, seqFrom1(16), 4, 4);
        Tensor mask = Tensor.of(new boolean[] {T, F, T, F, F, T, F, F, T, T, T, F, F, F, F, F}, 4, 4).to(device);
        List<Object> out = RaggedOps.compactLists(mask, List.of(data, "keep me"));
        RaggedBatch rb = (RaggedBatch) out.get(0);
        assertShape(new long[] {4, 3}, rb.data());
        assertArrayEquals(new long[] {2, 1, 3, 0}, rb.sampleSizes().toLongArray());
        assertValues(new double[] {1, 3, 0, 6, 0, 0, 9, 10, 11, 0, 0, 0}, rb.data());
        assertEquals("keep me", out.get(1));
        Named n = RaggedOps.compactRecord(mask.to(DType.INT32), new Named(data, data.to(DType.INT64), "x"));
        assertValues(rb.data().toDoubleArray(), ((RaggedBatch) n.label()).data());
        assertEquals("x", n.name());
    }

    private static double[] seqFrom1(int n) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = i + 1;
        }
        return r;
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void combineFlatAndNested(Device device) {
        Backends.assumeUsable(device);
        Tensor a = arange(DType.FLOAT32, device, 3);
        Tensor b = arange(DType.FLOAT32, device, 2);
        Tensor c = arange(DType.FLOAT32, device, 4);
        RaggedBatch flat = RaggedBatch.combine(List.of(a, b, c));
        assertShape(new long[] {3, 4}, flat.data());
        assertValues(new double[] {0, 1, 2, 0, 0, 1, 0, 0, 0, 1, 2, 3}, flat.data());
        RaggedBatch nestedFlat = RaggedOps.combineNested(List.of(List.of(a, b), List.of(c)), null, null, true);
        assertValues(flat.data().toDoubleArray(), nestedFlat.data());
        RaggedBatch m = RaggedBatch.combine(List.of(arange(DType.INT32, device, 2, 4), arange(DType.INT32, device, 3, 4)));
        assertShape(new long[] {2, 3, 4}, m.data());
        assertEquals(DType.INT32, m.dtype());
        // nested 2 x 3 with lengths 2,1,7,5,3,0 and trailing (3, 4)
        long[] lengths = {2, 1, 7, 5, 3, 0};
        List<Object> rows = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            List<Tensor> row = new ArrayList<>();
            for (int j = 0; j < 3; j++) {
                row.add(Tensor.ones(DType.FLOAT64, device, lengths[i * 3 + j], 3, 4));
            }
            rows.add(row);
        }
        RaggedBatch nested = RaggedOps.combineNested(rows, null, null, false);
        assertShape(new long[] {2, 3, 7, 3, 4}, nested.data());
        assertEquals(2, nested.raggedDim());
        assertArrayEquals(lengths, nested.sampleSizes().toLongArray());
        double[] sums = RaggedOps.sumOverTargets(nested).toDoubleArray();
        for (int s = 0; s < 6; s++) {
            assertEquals(lengths[s], sums[s * 12 + 11]);
        }
        // errors: empty list, a string element, irregular nesting
        assertThrows(IllegalArgumentException.class, () -> RaggedBatch.combine(List.of()));
        assertThrows(IllegalArgumentException.class, () -> RaggedOps.combineNested(List.of(a, "x"), null, null, true));
        assertThrows(IllegalArgumentException.class,
                () -> RaggedOps.combineNested(List.of(List.of(a, b), List.of(c)), null, null, false));
        assertThrows(IllegalArgumentException.class,
                () -> RaggedOps.combineNested(List.of(List.of(a), c), null, null, false));
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void combineEmptyElementsAndSharedSizes(Device device) {
        Backends.assumeUsable(device);
        Tensor empty = Tensor.zeros(DType.FLOAT32, device, 1, 0);
        Tensor x = arange(DType.FLOAT64, device, 2, 3);
        RaggedBatch rb = RaggedBatch.combine(List.of(empty, x));
        assertEquals(DType.FLOAT64, rb.dtype());
        assertShape(new long[] {2, 2, 3}, rb.data());
        assertArrayEquals(new long[] {0, 2}, rb.sampleSizes().toLongArray());
        RaggedBatch shared = RaggedBatch.combine(List.of(Tensor.zeros(DType.INT64, device, 0), arange(DType.INT64, device, 2)), rb);
        assertSame(rb.sampleSizes(), shared.sampleSizes());
        RaggedBatch allEmpty = RaggedOps.combineNested(List.of(List.of()), null, Device.CPU, true);
        assertShape(new long[] {0, 0}, allEmpty.data());
        RaggedBatch zeroNested = RaggedOps.combineNested(List.of(List.of(empty, empty)), null, null, false);
        assertShape(new long[] {1, 2, 0}, zeroNested.data());
        assertEquals(DType.FLOAT32, zeroNested.dtype());
        RaggedBatch moved = RaggedOps.combine(List.of(x.to(Device.CPU)), null, device);
        assertEquals(device, moved.device());
        assertEquals(device, moved.sampleSizes().device());
    }
}
