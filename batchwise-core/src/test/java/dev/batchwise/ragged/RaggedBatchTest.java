package dev.batchwise.ragged;

import static dev.batchwise.ragged.RaggedTesting.arange;
import static dev.batchwise.ragged.RaggedTesting.assertShape;
import static dev.batchwise.ragged.RaggedTesting.assertValues;
import static dev.batchwise.ragged.RaggedTesting.longs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.testing.Backends;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RaggedBatchTest {

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void propertiesAndLazyMaskAndSizes(Device device) {
        Backends.assumeUsable(device);
        try (Scope s = Scope.open()) {
            Tensor data = arange(DType.FLOAT32, device, 3, 4, 2);
            RaggedBatch rb = RaggedBatch.of(data, longs(device, new long[] {2, 0, 4}));
            assertEquals(1, rb.numBatchDims());
            assertEquals(1, rb.raggedDim());
            assertArrayEquals(new long[] {3}, rb.batchShape());
            assertEquals(3, rb.numSamples());
            assertEquals(4, rb.maxSampleSize());
            assertEquals(6, rb.totalEntries());
            assertArrayEquals(new boolean[] {true, true, false, false, false, false, false, false,
                    true, true, true, true}, rb.mask().toBooleanArray());
            RaggedBatch fromMask = RaggedBatch.fromMask(data, rb.mask());
            assertArrayEquals(new long[] {2, 0, 4}, fromMask.sampleSizes().toLongArray());
            assertSame(fromMask.sampleSizes(), fromMask.sampleSizes(), "sizes are cached");
        }
    }

    @Test
    void sizesFromMaskUseTheLastMaskAxisWhateverTheRaggedAxis() {
        // [QUIRK] fixed: the reference sums over axis raggedDim of the mask.
        Tensor data = Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 3, 4);
        Tensor mask = Tensor.of(new boolean[] {true, true, false, false, true, false, false, false}, 2, 4);
        RaggedBatch rb = RaggedBatch.fromMask(data, mask, 2);
        assertArrayEquals(new long[] {2, 1}, rb.sampleSizes().toLongArray());
    }

    @Test
    void int32SizesAreAccepted() {
        RaggedBatch rb = RaggedBatch.of(Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 3),
                Tensor.of(new int[] {1, 3}));
        assertEquals(DType.INT64, rb.sampleSizes().dtype());
        assertEquals(4, rb.totalEntries());
    }

    @Test
    void constructionErrors() {
        Tensor data = Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RaggedBatch.of(data, Tensor.of(new long[] {1, 2, 3})));
        assertTrue(e.getMessage().contains("(2,)") && e.getMessage().contains("(3,)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RaggedBatch.of(data, Tensor.of(new long[] {1, 4})));
        assertThrows(IllegalArgumentException.class, () -> RaggedBatch.of(data, Tensor.of(new long[] {-1, 0})));
        assertThrows(IllegalArgumentException.class, () -> RaggedBatch.of(data, Tensor.of(new float[] {1, 2})));
        assertThrows(IllegalArgumentException.class, () -> RaggedBatch.of(data, Tensor.of(new long[] {1, 2}), 0));
        assertThrows(IllegalArgumentException.class,
                () -> RaggedBatch.of(data, Tensor.of(new long[] {1, 2, 1, 1}, 2, 2)));
        assertThrows(IllegalArgumentException.class,
                () -> RaggedBatch.fromMask(data, Tensor.of(new boolean[] {true, false}, 2, 1)));
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void fromOversizeTensorCutsToTheLargestSample(Device device) {
        Backends.assumeUsable(device);
        Tensor data = arange(DType.FLOAT32, device, 2, 3, 10);
        Tensor sizes = longs(device, new long[] {3, 2, 5, 1, 2, 3}, 2, 3);
        RaggedBatch rb = RaggedBatch.fromOversizeTensor(data, sizes);
        assertEquals(5, rb.maxSampleSize());
        assertShape(new long[] {2, 3, 5}, rb.mask());
        double[] expected = new double[30];
        for (int s = 0; s < 6; s++) {
            for (int j = 0; j < 5; j++) {
                expected[s * 5 + j] = s * 10 + j;
            }
        }
        assertValues(expected, rb.data());
        // 3 batch dims, explicit ragged axis 3, and the mask-given variant
        Tensor d3 = arange(DType.FLOAT32, device, 1, 2, 3, 10);
        RaggedBatch r3 = RaggedBatch.fromOversizeTensor(d3, sizes.reshape(1, 2, 3), 3);
        assertShape(new long[] {1, 2, 3, 5}, r3.data());
        RaggedBatch rm = RaggedBatch.fromOversizeMask(data, RaggedBatch.of(data, sizes).mask(), 2);
        assertShape(new long[] {2, 3, 5}, rm.mask());
        assertValues(expected, rm.data());
        RaggedBatch zero = RaggedBatch.fromOversizeTensor(data, longs(device, new long[6], 2, 3));
        assertEquals(0, zero.maxSampleSize());
    }

    @Test
    void emptyVariants() {
        RaggedBatch e = RaggedBatch.empty(3, 1, Device.CPU);
        assertShape(new long[] {0, 0, 0}, e.data());
        assertShape(new long[] {0, 0}, e.mask());
        assertEquals(DType.FLOAT32, e.dtype());
        RaggedBatch e2 = RaggedBatch.emptyWithBatchDims(4, 3, Device.CPU, 2);
        assertShape(new long[] {0, 0, 0, 0}, e2.data());
        assertEquals(3, e2.raggedDim());
        RaggedBatch e3 = RaggedBatch.emptyWithBatchShape(3, 2, Device.CPU, 4);
        assertShape(new long[] {4, 0, 0}, e3.data());
        assertArrayEquals(new long[] {0, 0, 0, 0}, e3.sampleSizes().toLongArray());
        assertThrows(IllegalArgumentException.class, () -> RaggedBatch.emptyWithBatchShape(2, 2, Device.CPU, 4));
        assertThrows(IllegalArgumentException.class, () -> RaggedBatch.emptyWithBatchShape(2, 1, Device.CPU, 4, 4));
    }

    @Test
    void fromFullTensor() {
        RaggedBatch rb = RaggedBatch.fromFullTensor(Tensor.zeros(DType.FLOAT64, Device.CPU, 2, 3, 4), 2, 2);
        assertArrayEquals(new long[] {4, 4, 4, 4, 4, 4}, rb.sampleSizes().toLongArray());
        assertFalse(java.util.Arrays.asList(boxed(rb.mask().toBooleanArray())).contains(false));
        assertThrows(IllegalArgumentException.class,
                () -> RaggedBatch.fromFullTensor(Tensor.zeros(DType.FLOAT64, Device.CPU, 2, 3), 1, 0));
    }

    private static Boolean[] boxed(boolean[] b) {
        Boolean[] r = new Boolean[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[i];
        }
        return r;
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void cloneIsIndependent(Device device) {
        Backends.assumeUsable(device);
        RaggedBatch rb = RaggedBatch.of(arange(DType.FLOAT32, device, 2, 3), longs(device, new long[] {1, 3}));
        RaggedBatch c = rb.cloneData();
        c.data().fillInPlace(7);
        assertValues(new double[] {0, 1, 2, 3, 4, 5}, rb.data());
        assertSame(rb.sampleSizes(), c.sampleSizes());
    }

    @Test
    void withDataKeepsSizesAndChecksShapes() {
        RaggedBatch rb = RaggedBatch.of(Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 3, 4),
                Tensor.of(new long[] {1, 3}));
        RaggedBatch other = rb.withData(Tensor.zeros(DType.INT32, Device.CPU, 2, 3, 7, 5));
        assertEquals(1, other.raggedDim());
        assertArrayEquals(new long[] {1, 3}, other.sampleSizes().toLongArray());
        RaggedBatch axis2 = rb.withData(Tensor.zeros(DType.INT32, Device.CPU, 2, 6, 3), 2);
        assertEquals(2, axis2.raggedDim());
        assertEquals(2, rb.withData(Tensor.zeros(DType.INT32, Device.CPU, 2, 6, 3), -1).raggedDim());
        assertThrows(IllegalArgumentException.class, () -> rb.withData(Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 4)));
        assertThrows(IllegalArgumentException.class, () -> rb.withData(Tensor.zeros(DType.FLOAT32, Device.CPU, 3, 3)));
        assertThrows(IllegalArgumentException.class, () -> rb.withData(Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 3), 0));
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void withDataOnAnotherDeviceMovesMaskAndSizes(Device device) {
        Backends.assumeUsable(device);
        RaggedBatch rb = RaggedBatch.of(Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 3), Tensor.of(new long[] {1, 3}));
        rb.mask();
        RaggedBatch moved = rb.withData(Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 3, 2), 1, device);
        assertEquals(device, moved.data().device());
        assertEquals(device, moved.mask().device());
        assertEquals(device, moved.sampleSizes().device());
        assertEquals(4, moved.totalEntries());
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void transposeSwapsTwoAxes(Device device) {
        Backends.assumeUsable(device);
        Tensor data = arange(DType.INT32, device, 2, 3, 4, 5);
        RaggedBatch rb = RaggedBatch.of(data, longs(device, new long[] {1, 3}));
        RaggedBatch t = rb.transposeRaggedDimTo(3);
        assertShape(new long[] {2, 5, 4, 3}, t.data());
        assertEquals(3, t.raggedDim());
        int[] src = data.toIntArray();
        int[] dst = t.data().toIntArray();
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 3; i++) {
                for (int k = 0; k < 4; k++) {
                    for (int m = 0; m < 5; m++) {
                        assertEquals(src[((b * 3 + i) * 4 + k) * 5 + m], dst[((b * 5 + m) * 4 + k) * 3 + i]);
                    }
                }
            }
        }
        assertSame(rb, rb.transposeRaggedDimTo(1));
        assertThrows(IllegalArgumentException.class, () -> rb.transposeRaggedDimTo(0));
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void existenceWeights(Device device) {
        Backends.assumeUsable(device);
        // ragged axis 2 after a data axis of extent 2: weights follow the ragged axis
        RaggedBatch rb = RaggedBatch.of(arange(DType.FLOAT32, device, 2, 2, 3), longs(device, new long[] {1, 2}), 2);
        Tensor w = rb.existenceWeights();
        assertEquals(DType.FLOAT32, w.dtype());
        assertValues(new double[] {1, 0, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0}, w);
        assertEquals(DType.FLOAT64, rb.existenceWeights(DType.FLOAT64).dtype());
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void setPaddedToAllDtypesExact(Device device) {
        Backends.assumeUsable(device);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64}) {
            Tensor data = RaggedTesting.doubles(device, t, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, 3, 5);
            RaggedBatch rb = RaggedBatch.of(data, longs(device, new long[] {3, 2, 5}));
            RaggedBatch set = rb.withPaddedSetTo(-10);
            assertValues(new double[] {1, 2, 3, -10, -10, 6, 7, -10, -10, -10, 11, 12, 13, 14, 15}, set.data());
            assertValues(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, rb.data());
            rb.setPaddedTo(-10);
            assertValues(set.data().toDoubleArray(), rb.data());
        }
        Tensor bools = Tensor.ones(DType.BOOL, Device.CPU, 2, 3).to(device);
        RaggedBatch b = RaggedBatch.of(bools, longs(device, new long[] {1, 3})).withPaddedSetTo(0);
        assertArrayEquals(new boolean[] {true, false, false, true, true, true}, b.data().toBooleanArray());
        // two batch dims with an empty sample
        Tensor d2 = arange(DType.FLOAT64, device, 2, 3, 5);
        RaggedBatch r2 = RaggedBatch.of(d2, longs(device, new long[] {3, 2, 5, 4, 0, 1}, 2, 3)).withPaddedSetTo(-1);
        double[] v = r2.data().toDoubleArray();
        for (int j = 0; j < 5; j++) {
            assertEquals(-1, v[4 * 5 + j]);
        }
        assertEquals(15, v[15]);
        assertEquals(-1, v[19]);
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void repeatSamplesTiles(Device device) {
        Backends.assumeUsable(device);
        Tensor data = arange(DType.INT64, device, 2, 3, 1);
        RaggedBatch rb = RaggedBatch.of(data, longs(device, new long[] {1, 0, 1, 1, 1, 0}, 2, 3));
        RaggedBatch r0 = rb.repeatSamples(2, 0);
        assertShape(new long[] {4, 3, 1}, r0.data());
        assertValues(new double[] {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5}, r0.data());
        assertValues(new double[] {1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 1, 0}, r0.sampleSizes());
        RaggedBatch r1 = rb.repeatSamples(3, 1);
        assertShape(new long[] {2, 9, 1}, r1.data());
        assertValues(new double[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 3, 4, 5}, r1.data());
        assertShape(new long[] {4, 9}, rb.repeatSamples(new long[] {2, 3}).sampleSizes());
        assertValues(data.toDoubleArray(), rb.repeatSamples(new long[] {1, 1}).data());
        RaggedBatch three = RaggedBatch.of(arange(DType.FLOAT32, device, 2, 3, 4, 2),
                longs(device, new long[24], 2, 3, 4));
        assertArrayEquals(new long[] {4, 9, 4}, three.repeatSamples(new long[] {2, 3, 1}).batchShape());
        assertThrows(IllegalArgumentException.class, () -> rb.repeatSamples(new long[] {2}));
        assertThrows(IllegalArgumentException.class, () -> rb.repeatSamples(2, 2));
    }

    @Test
    void broadcastBatchDims() {
        RaggedBatch a = RaggedBatch.of(Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 5, 3), Tensor.zeros(DType.INT64, Device.CPU, 2, 5));
        assertArrayEquals(new long[] {8, 15}, a.broadcastBatchDimsToShape(8, 15).batchShape());
        RaggedBatch c = RaggedBatch.of(Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 3, 4, 1), Tensor.zeros(DType.INT64, Device.CPU, 2, 3, 4));
        assertArrayEquals(new long[] {6, 9, 16}, c.broadcastBatchDimsToShape(6, 9, 16).batchShape());
        assertThrows(IllegalArgumentException.class, () -> a.broadcastBatchDimsToShape(7, 15));
        assertThrows(IllegalArgumentException.class, () -> a.broadcastBatchDimsToShape(1, 1));
        List<RaggedBatch> out = RaggedBatch.broadcastBatchDims(List.of(batch(2, 3), batch(4, 3), batch(2, 6)));
        for (RaggedBatch r : out) {
            assertArrayEquals(new long[] {4, 6}, r.batchShape());
        }
        out = RaggedBatch.broadcastBatchDims(List.of(batch(1, 2), batch(2, 1)));
        assertArrayEquals(new long[] {2, 2}, out.get(0).batchShape());
        assertArrayEquals(new long[] {2, 2}, out.get(1).batchShape());
        assertThrows(IllegalArgumentException.class, () -> RaggedBatch.broadcastBatchDims(List.of(batch(2, 3), batch(3, 3))));
        assertThrows(IllegalArgumentException.class, () -> RaggedBatch.broadcastBatchDims(List.of(batch(2, 3), batch(2))));
    }

    private static RaggedBatch batch(long... bs) {
        return RaggedBatch.of(Tensor.zeros(DType.FLOAT32, Device.CPU, dev.batchwise.tensor.Shapes.concat(bs, 2)),
                Tensor.zeros(DType.INT64, Device.CPU, bs));
    }

    @Test
    void batchDimReshapes() {
        RaggedBatch rb = RaggedBatch.of(Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 3, 4, 5),
                Tensor.of(new long[] {1, 2, 3, 4, 0, 1}, 2, 3), 3);
        RaggedBatch u = rb.unsqueezeBatchDim(1);
        assertArrayEquals(new long[] {2, 1, 3}, u.batchShape());
        assertEquals(4, u.raggedDim());
        assertShape(new long[] {2, 1, 3}, u.sampleSizes());
        assertShape(new long[] {2, 1, 3, 5}, u.mask());
        RaggedBatch sq = u.squeezeBatchDim(1);
        assertArrayEquals(new long[] {2, 3}, sq.batchShape());
        assertEquals(3, sq.raggedDim());
        assertThrows(IllegalArgumentException.class, () -> rb.squeezeBatchDim(0));
        RaggedBatch f = rb.flattenBatchDims();
        assertArrayEquals(new long[] {6}, f.batchShape());
        assertEquals(2, f.raggedDim());
        assertArrayEquals(new long[] {1, 2, 3, 4, 0, 1}, f.sampleSizes().toLongArray());
        assertArrayEquals(new long[] {3, 2}, rb.reshapeBatchDims(3, -1).batchShape());
        assertThrows(IllegalArgumentException.class, () -> rb.reshapeBatchDims(4, -1));
    }

    @Test
    void unsqueezeDataDim() {
        RaggedBatch rb = RaggedBatch.of(Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 3, 5, 2),
                Tensor.zeros(DType.INT64, Device.CPU, 2, 3));
        RaggedBatch a = rb.unsqueezeDataDim(3);
        assertShape(new long[] {2, 3, 5, 1, 2}, a.data());
        assertEquals(2, a.raggedDim());
        RaggedBatch b = rb.unsqueezeDataDim(2);
        assertShape(new long[] {2, 3, 1, 5, 2}, b.data());
        assertEquals(3, b.raggedDim());
        RaggedBatch c = rb.unsqueezeDataDim(-1);
        assertShape(new long[] {2, 3, 5, 2, 1}, c.data());
        assertEquals(2, c.raggedDim());
        assertShape(new long[] {2, 3, 5}, c.mask());
        assertThrows(IllegalArgumentException.class, () -> rb.unsqueezeDataDim(1));
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void splitGivesPrefixesInBatchOrder(Device device) {
        Backends.assumeUsable(device);
        Tensor data = arange(DType.FLOAT32, device, 2, 3, 4, 2);
        long[] sizes = {1, 4, 0, 2, 3, 1};
        RaggedBatch rb = RaggedBatch.of(data, longs(device, sizes, 2, 3));
        List<Object> nested = rb.splitNested();
        assertEquals(2, nested.size());
        for (int i = 0; i < 2; i++) {
            List<?> row = (List<?>) nested.get(i);
            assertEquals(3, row.size());
            for (int j = 0; j < 3; j++) {
                Tensor t = (Tensor) row.get(j);
                int s = i * 3 + j;
                assertShape(new long[] {sizes[s], 2}, t);
                double[] exp = new double[(int) sizes[s] * 2];
                for (int k = 0; k < exp.length; k++) {
                    exp[k] = s * 8 + k;
                }
                assertValues(exp, t);
            }
        }
        // ragged axis not first: the cut keeps the axis position
        RaggedBatch t2 = RaggedBatch.of(arange(DType.FLOAT32, device, 2, 2, 3), longs(device, new long[] {1, 3}), 2);
        List<Tensor> parts = t2.split();
        assertShape(new long[] {2, 1}, parts.get(0));
        assertValues(new double[] {0, 3}, parts.get(0));
        assertValues(new double[] {6, 7, 8, 9, 10, 11}, parts.get(1));
    }

    @Test
    void applyWrapsResults() {
        RaggedBatch rb = RaggedBatch.of(Tensor.of(new double[] {1, 2, 3, 4}, 2, 2), Tensor.of(new long[] {1, 2}));
        RaggedBatch sq = rb.apply(t -> Tensor.of(square(t.toDoubleArray()), 2, 2));
        assertValues(new double[] {1, 4, 9, 16}, sq.data());
        assertSame(rb.sampleSizes(), sq.sampleSizes());
        RaggedBatch masked = rb.apply((t, m) -> RaggedOps.applyMask(t, m, 0));
        assertValues(new double[] {1, 0, 3, 4}, masked.data());
        RaggedBatch three = rb.apply((t, m, s) -> {
            assertArrayEquals(new long[] {1, 2}, s.toLongArray());
            return t;
        });
        assertSame(rb.data(), three.data());
        List<RaggedBatch> two = rb.applyMulti(t -> List.of(t.copy(), t.to(DType.FLOAT32)));
        assertEquals(2, two.size());
        assertEquals(DType.FLOAT32, two.get(1).dtype());
        assertThrows(IllegalArgumentException.class, () -> rb.apply(t -> Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 3)));
    }

    private static double[] square(double[] v) {
        double[] r = v.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] *= r[i];
        }
        return r;
    }

    @Test
    void dtypeConversions() {
        RaggedBatch rb = RaggedBatch.of(Tensor.of(new double[] {1.5, 2, 0, 4}, 2, 2), Tensor.of(new long[] {1, 2}));
        assertEquals(DType.INT32, rb.toInt().dtype());
        assertEquals(DType.INT64, rb.toLong().dtype());
        assertEquals(DType.BOOL, rb.toBool().dtype());
        assertEquals(DType.FLOAT32, rb.toFloat().dtype());
        assertEquals(DType.FLOAT64, rb.toFloat().toDouble().dtype());
        assertSame(rb, rb.to(DType.FLOAT64));
        assertSame(rb, rb.to(Device.CPU));
        assertValues(new double[] {1, 2, 0, 4}, rb.toInt().data());
    }

    @Test
    void setDataReplacesAndChecks() {
        RaggedBatch rb = RaggedBatch.of(Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 3), Tensor.of(new long[] {1, 2}));
        Tensor n = Tensor.ones(DType.FLOAT32, Device.CPU, 2, 3);
        rb.setData(n);
        assertSame(n, rb.data());
        assertThrows(IllegalArgumentException.class, () -> rb.setData(Tensor.ones(DType.FLOAT32, Device.CPU, 2, 4)));
    }

    @Test
    void toStringNamesTheParts() {
        RaggedBatch rb = RaggedBatch.of(Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 3), Tensor.of(new long[] {1, 2}));
        String s = rb.toString();
        for (String part : new String[] {"data=", "sampleSizes=", "mask=<not computed>", "raggedDim=1", "batchShape=(2,)"}) {
            assertTrue(s.contains(part), s);
        }
        rb.mask();
        assertFalse(rb.toString().contains("<not computed>"));
    }

    @Test
    void derivedMaskSurvivesTheScopeItWasFirstAskedIn() {
        RaggedBatch rb = RaggedBatch.of(Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 3), Tensor.of(new long[] {1, 2}));
        try (Scope s = Scope.open()) {
            rb.mask();
        }
        assertArrayEquals(new boolean[] {true, false, false, true, true, false}, rb.mask().toBooleanArray());
    }
}
