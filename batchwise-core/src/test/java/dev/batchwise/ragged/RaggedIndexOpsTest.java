package dev.batchwise.ragged;

import static dev.batchwise.ragged.RaggedTesting.arange;
import static dev.batchwise.ragged.RaggedTesting.assertShape;
import static dev.batchwise.ragged.RaggedTesting.assertValues;
import static dev.batchwise.ragged.RaggedTesting.indexBatch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.testing.Backends;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RaggedIndexOpsTest {
    static final long[] B23 = {2, 3};

    static Stream<Arguments> devicesAndDtypes() {
        return Backends.all().flatMap(d -> Stream.of(DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64)
                .flatMap(t -> Stream.of(Arguments.of(d, t, DType.INT32), Arguments.of(d, t, DType.INT64))));
    }

    @ParameterizedTest
    @MethodSource("devicesAndDtypes")
    void indexingAccessManual(Device device, DType dtype, DType indexType) {
        Backends.assumeUsable(device);
        Tensor data = arange(dtype, device, 2, 3, 5, 2);
        long[][] rows = {{1, 3}, {0, 2, 4}, {2}, {1, 3, 2}, {2, 1}, {1}};
        RaggedBatch idx = indexBatch(device, indexType, 100, B23, rows);
        double filler = dtype.isFloatingPoint() ? -4.1 : -4;
        RaggedBatch out = RaggedOps.indexingAccess(data, idx, filler);
        assertShape(new long[] {2, 3, 3, 2}, out.data());
        assertEquals(dtype, out.dtype());
        assertEquals(2, out.raggedDim());
        double f = dtype == DType.FLOAT32 ? (float) filler : filler;
        double[] expected = new double[36];
        for (int s = 0; s < 6; s++) {
            for (int j = 0; j < 3; j++) {
                for (int c = 0; c < 2; c++) {
                    expected[(s * 3 + j) * 2 + c] = j < rows[s].length ? (s * 5 + rows[s][j]) * 2 + c : f;
                }
            }
        }
        assertValues(expected, out.data());
        assertArrayEquals(new long[] {2, 3, 1, 3, 2, 1}, out.sampleSizes().toLongArray());
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void indexingAccessAlongAnotherAxisAndNegativeIndices(Device device) {
        Backends.assumeUsable(device);
        Tensor data = arange(DType.FLOAT32, device, 2, 2, 4); // entries along axis 2
        RaggedBatch idx = indexBatch(device, DType.INT64, 0, new long[] {2}, new long[] {-1, 0}, new long[] {2});
        RaggedBatch out = RaggedOps.indexingAccess(data, idx, 9, 2);
        assertEquals(2, out.raggedDim());
        assertValues(new double[] {3, 0, 7, 4, 10, 9, 14, 9}, out.data());
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void indexOutOfRangeNamesSampleAndPosition(Device device) {
        Backends.assumeUsable(device);
        Tensor data = arange(DType.FLOAT32, device, 2, 5);
        RaggedBatch idx = indexBatch(device, DType.INT32, 0, new long[] {2}, new long[] {1}, new long[] {0, 5});
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> RaggedOps.indexingAccess(data, idx, 0).data().toFloatArray());
        // CPU and GPU word it differently; both name the value, the sample and the position
        assertTrue(e.getMessage().contains("index 5 ") && e.getMessage().contains("sample 1")
                && e.getMessage().contains("position 1"), e.getMessage());
        RaggedBatch neg = indexBatch(device, DType.INT32, 0, new long[] {2}, new long[] {-6}, new long[] {0});
        assertThrows(IndexOutOfBoundsException.class, () -> RaggedOps.indexingAccess(data, neg, 0).data().toFloatArray());
        assertThrows(IndexOutOfBoundsException.class,
                () -> RaggedOps.inverseIndexingAccess(Tensor.zeros(DType.FLOAT32, device, 2, 2), idx, 5, 0).toFloatArray());
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void inverseIndexingAccessManual(Device device) {
        Backends.assumeUsable(device);
        Tensor data = RaggedTesting.doubles(device, DType.FLOAT32, seq(1, 24), 2, 3, 4);
        long[][] rows = {{0, 1, 2}, {1, 2}, {2, 0, 1, 4}, {3, 0}, {4, 0}, {1}};
        RaggedBatch idx = indexBatch(device, DType.INT64, 0, B23, rows);
        Tensor out = RaggedOps.inverseIndexingAccess(data, idx, 5, 1.4);
        assertShape(new long[] {2, 3, 5}, out);
        float f = 1.4f;
        double[] expected = {
                1, 2, 3, f, f,
                f, 5, 6, f, f,
                10, 11, 9, f, 12,
                14, f, f, 13, f,
                18, f, f, f, 17,
                f, 21, f, f, f};
        assertValues(expected, out);
    }

    private static double[] seq(int from, int to) {
        double[] r = new double[to - from + 1];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void indexingWriteManual(Device device) {
        Backends.assumeUsable(device);
        Tensor toWrite = RaggedTesting.doubles(device, DType.FLOAT64, seq(1, 24), 2, 3, 4);
        long[][] rows = {{0, 1, 2}, {1, 2}, {2, 0, 1, 4}, {3, 0}, {4, 0}, {1}};
        RaggedBatch idx = indexBatch(device, DType.INT32, 0, B23, rows);
        double[] minus = seq(1, 30);
        for (int i = 0; i < minus.length; i++) {
            minus[i] = -minus[i];
        }
        Tensor into = RaggedTesting.doubles(device, DType.FLOAT64, minus, 2, 3, 5);
        Tensor out = RaggedOps.indexingWrite(toWrite, idx, into);
        double[] expected = {
                1, 2, 3, -4, -5,
                -6, 5, 6, -9, -10,
                10, 11, 9, -14, 12,
                14, -17, -18, 13, -20,
                18, -22, -23, -24, 17,
                -26, 21, -28, -29, -30};
        assertValues(expected, out);
        assertValues(minus, into);
        RaggedBatch intoBatch = RaggedBatch.of(into, RaggedTesting.longs(device, new long[] {5, 5, 5, 5, 5, 5}, 2, 3));
        RaggedBatch rb = RaggedOps.indexingWrite(toWrite, idx, intoBatch);
        assertValues(expected, rb.data());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RaggedOps.indexingWrite(toWrite, idx, into.reshape(2, 3, 5, 1)));
        assertTrue(e.getMessage().contains("must have the same number of dimensions"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> RaggedOps.indexingWrite(toWrite.to(DType.FLOAT32), idx, into));
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void indexMappingManual(Device device) {
        Backends.assumeUsable(device);
        Tensor source = arange(DType.FLOAT32, device, 3, 4, 2);
        RaggedBatch src = indexBatch(device, DType.INT64, 0, new long[] {3},
                new long[] {0, 2}, new long[] {1, 3, 0}, new long[] {2, 1, 0, 3});
        RaggedBatch tgt = indexBatch(device, DType.INT64, 0, new long[] {3},
                new long[] {1, 3}, new long[] {4, 2, 0}, new long[] {5, 1, 0, 2});
        Tensor target = Tensor.full(-1, DType.FLOAT32, device, 3, 6, 2);
        Tensor out = RaggedOps.indexMapping(source, src, tgt, target);
        double[] expected = new double[36];
        java.util.Arrays.fill(expected, -1);
        int[][][] pairs = {{{0, 1}, {2, 3}}, {{1, 4}, {3, 2}, {0, 0}}, {{2, 5}, {1, 1}, {0, 0}, {3, 2}}};
        for (int b = 0; b < 3; b++) {
            for (int[] p : pairs[b]) {
                for (int c = 0; c < 2; c++) {
                    expected[(b * 6 + p[1]) * 2 + c] = (b * 4 + p[0]) * 2 + c;
                }
            }
        }
        assertValues(expected, out);
        // errors
        RaggedBatch narrow = indexBatch(device, DType.INT64, 0, new long[] {3}, new long[] {0}, new long[] {1}, new long[] {2});
        assertThrows(IllegalArgumentException.class, () -> RaggedOps.indexMapping(source, src, narrow, target));
        assertThrows(IllegalArgumentException.class,
                () -> RaggedOps.indexMapping(source, src, tgt.toInt(), target));
        assertThrows(IllegalArgumentException.class,
                () -> RaggedOps.indexMapping(source.to(DType.FLOAT64), src, tgt, target));
        assertThrows(IllegalArgumentException.class,
                () -> RaggedOps.indexMapping(source, src, tgt, Tensor.zeros(DType.FLOAT32, device, 3, 6, 3)));
        RaggedBatch threeD = RaggedBatch.of(Tensor.zeros(DType.INT64, device, 3, 4, 1),
                RaggedTesting.longs(device, new long[] {1, 1, 1}));
        assertThrows(IllegalArgumentException.class, () -> RaggedOps.indexMapping(source, threeD, threeD, target));
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void indexMappingWithTwoBatchDims(Device device) {
        Backends.assumeUsable(device);
        Tensor source = arange(DType.INT32, device, 1, 2, 3);
        RaggedBatch src = indexBatch(device, DType.INT32, 7, new long[] {1, 2}, new long[] {2}, new long[] {0, 1});
        RaggedBatch tgt = indexBatch(device, DType.INT32, 7, new long[] {1, 2}, new long[] {0, 9}, new long[] {1, 0});
        Tensor out = RaggedOps.indexMapping(source, src, tgt, Tensor.zeros(DType.INT32, device, 1, 2, 2));
        assertValues(new double[] {2, 0, 4, 3}, out);
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void maskFromIndices(Device device) {
        Backends.assumeUsable(device);
        RaggedBatch idx = indexBatch(device, DType.INT64, 0, new long[] {3},
                new long[] {2, 0, 3}, new long[] {1, 2}, new long[] {0, 3, 2, 4});
        Tensor m = RaggedOps.maskFromIndices(5, idx);
        assertArrayEquals(new boolean[] {true, false, true, true, false, false, true, true, false, false,
                true, false, true, true, true}, m.toBooleanArray());
        RaggedBatch two = indexBatch(device, DType.INT32, 0, new long[] {2, 2},
                new long[] {1}, new long[] {}, new long[] {-1, 0}, new long[] {2});
        assertArrayEquals(new boolean[] {false, true, false, false, false, false, true, false, true,
                false, false, true}, RaggedOps.maskFromIndices(3, two).toBooleanArray());
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void indicesFromMask(Device device) {
        Backends.assumeUsable(device);
        boolean T = true;
        boolean F = false;
        Tensor mask = Tensor.of(new boolean[] {T, F, T, F, F, T, F, T, F, F, F, F, F, F, F, F, F, F, T, T, T, T, T, T},
                4, 6).to(device);
        RaggedBatch idx = RaggedOps.indicesFromMask(mask);
        assertArrayEquals(new long[] {3, 1, 0, 6}, idx.sampleSizes().toLongArray());
        assertShape(new long[] {4, 6}, idx.data());
        long[] v = idx.data().toLongArray();
        assertArrayEquals(new long[] {0, 2, 5}, java.util.Arrays.copyOfRange(v, 0, 3));
        assertEquals(1, v[6]);
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, java.util.Arrays.copyOfRange(v, 18, 24));
        RaggedBatch ragged = RaggedBatch.of(Tensor.of(new boolean[] {T, T, T, F, F, F, T, T, T, T, T, F, F, F, T},
                3, 5).to(device), RaggedTesting.longs(device, new long[] {2, 5, 0}));
        RaggedBatch r = RaggedOps.indicesFromMask(ragged);
        assertArrayEquals(new long[] {2, 4, 0}, r.sampleSizes().toLongArray());
        assertEquals(4, r.maxSampleSize());
        assertThrows(IllegalArgumentException.class,
                () -> RaggedOps.indicesFromMask(Tensor.zeros(DType.BOOL, device, 2, 2, 2)));
    }
}
