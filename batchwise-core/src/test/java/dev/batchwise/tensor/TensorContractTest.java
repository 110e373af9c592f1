package dev.batchwise.tensor;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.Backends;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tensor contract on every backend: factories, round trips, views vs copies, conversions
 * between devices, text, errors and zero-size tensors. Each test opens a scope, so nothing leaks.
 */
class TensorContractTest {
    private static final long[][] SHAPES = {{}, {0}, {1}, {7}, {3, 0, 2}, {2, 3, 4}, {1, 5, 1}};

    /** A CPU tensor of {@code dtype} whose element i is distinct and sign-mixed where the type allows. */
    private static Tensor sample(DType dtype, long... shape) {
        return NpyFixtures.pattern(dtype, shape);
    }

    private static void withScope(Device device, Consumer<Device> body) {
        Backends.assumeUsable(device);
        long cpuBefore = MemoryStats.cpuBytesInUse();
        long cudaBefore = MemoryStats.cudaBytesInUse();
        try (Scope s = Scope.open()) {
            body.accept(device);
        }
        ScopeContractTest.assertNoGrowth(cpuBefore, MemoryStats.cpuBytesInUse(), "CPU bytes after the scope");
        ScopeContractTest.assertNoGrowth(cudaBefore, MemoryStats.cudaBytesInUse(), "CUDA bytes after the scope");
    }

    // ------------------------------------------------------------------ factories and round trips

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void everyDtypeAndShapeRoundTripsThroughTheDevice(Device device) {
        withScope(device, d -> {
            for (DType dtype : DType.values()) {
                for (long[] shape : SHAPES) {
                    Tensor host = sample(dtype, shape);
                    Tensor there = host.to(d);
                    assertEquals(d, there.device());
                    assertEquals(dtype, there.dtype());
                    assertArrayEquals(shape, there.shape());
                    assertEquals(shape.length, there.rank());
                    assertEquals(Shapes.numel(shape), there.numel());
                    assertEquals(Shapes.numel(shape) * dtype.byteSize(), there.byteSize());
                    NpyFixtures.assertBitEqual(host, there.to(Device.CPU));
                }
            }
        });
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void arrayFactoriesAndArrayOutputsAgree(Device device) {
        withScope(device, d -> {
            float[] f = {1.5f, -2.25f, 0f, 3e38f};
            double[] g = {1e-300, -7.5, 0.1, 1e300};
            int[] i = {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE};
            long[] l = {Long.MIN_VALUE, -1, (1L << 53) + 1, Long.MAX_VALUE};
            byte[] u = {0, 1, (byte) 128, (byte) 255};
            boolean[] b = {true, false, false, true};
            assertArrayEquals(f, Tensor.of(f, 2, 2).to(d).toFloatArray());
            assertArrayEquals(g, Tensor.of(g, 2, 2).to(d).toDoubleArray());
            assertArrayEquals(i, Tensor.of(i, 4).to(d).toIntArray());
            assertArrayEquals(l, Tensor.of(l).to(d).toLongArray());
            assertArrayEquals(u, Tensor.ofUint8(u, 1, 4).to(d).toByteArray());
            assertArrayEquals(b, Tensor.of(b, 4, 1).to(d).toBooleanArray());
            assertArrayEquals(new long[] {4}, Tensor.of(l).shape(), "no shape means 1-D");
            assertArrayEquals(new long[] {0, 128, 255}, Tensor.ofUint8(new byte[] {0, (byte) 128, (byte) -1}).toLongArray(),
                    "uint8 bytes read unsigned");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(f, 3, 2));
            assertTrue(e.getMessage().contains("4 elements") && e.getMessage().contains("(3, 2)"), e.getMessage());
        });
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void zerosOnesFullAndEmpty(Device device) {
        withScope(device, d -> {
            for (DType dtype : DType.values()) {
                for (long[] shape : SHAPES) {
                    int n = (int) Shapes.numel(shape);
                    Tensor z = Tensor.zeros(dtype, d, shape);
                    Tensor o = Tensor.ones(dtype, d, shape);
                    Tensor e = Tensor.empty(dtype, d, shape);
                    for (Tensor t : new Tensor[] {z, o, e}) {
                        assertEquals(d, t.device());
                        assertEquals(dtype, t.dtype());
                        assertArrayEquals(shape, t.shape());
                    }
                    double[] zeros = new double[n];
                    double[] ones = new double[n];
                    Arrays.fill(ones, 1);
                    assertArrayEquals(zeros, z.toDoubleArray());
                    assertArrayEquals(ones, o.toDoubleArray());
                    if (dtype == DType.BOOL) {
                        assertArrayEquals(new boolean[n], z.toBooleanArray());
                    }
                }
            }
            assertArrayEquals(new int[] {-2, -2}, Tensor.full(-2.7, DType.INT32, d, 2).toIntArray());
            assertArrayEquals(new long[] {44}, Tensor.full(300, DType.UINT8, d, 1).toLongArray());
            assertArrayEquals(new long[] {255}, Tensor.full(-1, DType.UINT8, d, 1).toLongArray());
            assertArrayEquals(new long[] {0}, Tensor.full(Double.NaN, DType.INT64, d, 1).toLongArray());
            assertArrayEquals(new int[] {Integer.MAX_VALUE}, Tensor.full(1e20, DType.INT32, d, 1).toIntArray());
            assertArrayEquals(new boolean[] {true}, Tensor.full(Double.NaN, DType.BOOL, d, 1).toBooleanArray());
            assertArrayEquals(new boolean[] {false}, Tensor.full(-0.0, DType.BOOL, d, 1).toBooleanArray());
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(Tensor.full(-0.0, DType.FLOAT32, d).toFloatArray()[0]));
            assertEquals(0x1.fffffep127f, Tensor.full(0x1.fffffep127, DType.FLOAT32, d, 1).toFloatArray()[0]);
            Tensor filled = Tensor.zeros(DType.FLOAT64, d, 2, 2).fillInPlace(0.5);
            assertArrayEquals(new double[] {0.5, 0.5, 0.5, 0.5}, filled.toDoubleArray());
            assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(null, d, 1));
            assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(DType.FLOAT32, null, 1));
            IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> Tensor.empty(DType.FLOAT32, d, 2, -1));
            assertTrue(neg.getMessage().contains("(2, -1)"), neg.getMessage());
            IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
                    () -> Tensor.empty(DType.FLOAT64, d, 1L << 40, 1L << 40));
            assertTrue(huge.getMessage().contains("(1099511627776, 1099511627776)"), huge.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Tensor.empty(DType.FLOAT64, d, 1L << 61));
        });
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void specialValuesRoundTripBitExactly(Device device) {
        withScope(device, d -> {
            float[] f = {Float.NaN, Float.intBitsToFloat(0x7FC00001), Float.intBitsToFloat(0xFFC00000),
                    Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE};
            double[] g = {Double.NaN, Double.longBitsToDouble(0x7FF8000000000123L), Double.POSITIVE_INFINITY,
                    Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, -1e308};
            for (Tensor t : new Tensor[] {Tensor.of(f).to(d), Tensor.of(f).to(d).copy(), Tensor.of(f).to(d).reshape(3, 3)}) {
                float[] back = t.toFloatArray();
                for (int i = 0; i < f.length; i++) {
                    assertEquals(Float.floatToRawIntBits(f[i]), Float.floatToRawIntBits(back[i]), "float element " + i);
                }
            }
            for (Tensor t : new Tensor[] {Tensor.of(g).to(d), Tensor.of(g).to(d).copy(), Tensor.of(g).to(d).narrow(0, 1, 6)}) {
                double[] back = t.toDoubleArray();
                int start = t.numel() == g.length ? 0 : 1;
                for (int i = 0; i < back.length; i++) {
                    assertEquals(Double.doubleToRawLongBits(g[i + start]), Double.doubleToRawLongBits(back[i]), "double element " + i);
                }
            }
            // float32 -> float64 -> float32 is exact for every non-NaN value, including infinities and -0.
            float[] finite = {Float.POSITIVE_INFINITY, -0f, Float.MIN_VALUE, Float.MAX_VALUE, 1.1f};
            float[] twice = Tensor.of(finite).to(d).to(DType.FLOAT64).to(DType.FLOAT32).toFloatArray();
            for (int i = 0; i < finite.length; i++) {
                assertEquals(Float.floatToRawIntBits(finite[i]), Float.floatToRawIntBits(twice[i]));
            }
        });
    }

    // ------------------------------------------------------------------ views and copies

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void reshapeInfersOneExtentAndSharesMemory(Device device) {
        withScope(device, d -> {
            Tensor x = sample(DType.INT32, 2, 3, 4).to(d);
            assertArrayEquals(new long[] {6, 4}, x.reshape(-1, 4).shape());
            assertArrayEquals(new long[] {2, 12}, x.reshape(2, -1).shape());
            assertArrayEquals(new long[] {24}, x.reshape(-1).shape());
            assertArrayEquals(new long[] {1, 24, 1}, x.reshape(1, -1, 1).shape());
            Tensor r = x.reshape(4, 6);
            assertTrue(r.sharesMemoryWith(x));
            assertArrayEquals(x.toIntArray(), r.toIntArray());
            r.fillInPlace(9);
            assertTrue(Arrays.stream(x.toIntArray()).allMatch(v -> v == 9), "writes through the reshaped view reach the base");
            Tensor z = Tensor.zeros(DType.FLOAT32, d, 3, 0, 2);
            assertArrayEquals(new long[] {0, 5}, z.reshape(0, 5).shape());
            assertArrayEquals(new long[] {0}, z.reshape(-1).shape());
            assertArrayEquals(new long[] {}, Tensor.ones(DType.FLOAT32, d, 1, 1).reshape().shape());
            for (long[] bad : new long[][] {{5, 5}, {-1, -1}, {-1, 5}, {2, -2, 6}, {}}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.reshape(bad));
                assertTrue(e.getMessage().contains(Shapes.format(bad)), e.getMessage());
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> z.reshape(-1, 0));
            assertTrue(e.getMessage().contains("(3, 0, 2)") && e.getMessage().contains("(-1, 0)"), e.getMessage());
        });
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void narrowAndSelectAreViewsThatShareMemory(Device device) {
        withScope(device, d -> {
            Tensor x = sample(DType.FLOAT64, 4, 3).to(d);
            double[] all = x.toDoubleArray();
            Tensor rows = x.narrow(0, 1, 2);
            assertArrayEquals(new long[] {2, 3}, rows.shape());
            assertArrayEquals(Arrays.copyOfRange(all, 3, 9), rows.toDoubleArray());
            Tensor row = x.select(0, 3);
            assertArrayEquals(new long[] {3}, row.shape());
            assertArrayEquals(Arrays.copyOfRange(all, 9, 12), row.toDoubleArray());
            Tensor last = x.select(-2, 3);
            assertArrayEquals(row.toDoubleArray(), last.toDoubleArray(), "negative axes count from the end");
            assertTrue(rows.sharesMemoryWith(x) && row.sharesMemoryWith(x));
            rows.fillInPlace(-1);
            row.copyFrom(Tensor.of(new double[] {7, 8, 9}).to(d));
            double[] expected = all.clone();
            Arrays.fill(expected, 3, 9, -1);
            expected[9] = 7;
            expected[10] = 8;
            expected[11] = 9;
            assertArrayEquals(expected, x.toDoubleArray(), "writes through views are visible in the base");
            x.select(0, 0).select(0, 2).fillInPlace(42);
            assertEquals(42, x.toDoubleArray()[2]);

            Tensor y = sample(DType.INT64, 1, 1, 5, 2).to(d);
            Tensor inner = y.narrow(2, 1, 3);
            assertArrayEquals(new long[] {1, 1, 3, 2}, inner.shape());
            assertArrayEquals(Arrays.copyOfRange(y.toLongArray(), 2, 8), inner.toLongArray(),
                    "narrow on an axis after extent-1 axes is a view");
            assertTrue(inner.sharesMemoryWith(y));
            Tensor sel = y.select(2, 4);
            assertArrayEquals(new long[] {1, 1, 2}, sel.shape());
            assertArrayEquals(Arrays.copyOfRange(y.toLongArray(), 8, 10), sel.toLongArray());
            Tensor squeeze = sample(DType.INT32, 2, 1, 3).to(d).select(1, 0);
            assertArrayEquals(new long[] {2, 3}, squeeze.shape(), "selecting an extent-1 axis is always a view");

            IllegalArgumentException nc = assertThrows(IllegalArgumentException.class, () -> x.narrow(1, 0, 2));
            assertTrue(nc.getMessage().contains("slice"), nc.getMessage());
            IllegalArgumentException sc = assertThrows(IllegalArgumentException.class, () -> x.select(1, 0));
            assertTrue(sc.getMessage().startsWith("select along axis 1 of shape (4, 3)"), sc.getMessage());
            IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> x.narrow(0, 3, 2));
            assertTrue(range.getMessage().contains("[3, 5)") && range.getMessage().contains("(4, 3)"), range.getMessage());
            assertThrows(IllegalArgumentException.class, () -> x.narrow(0, -1, 1));
            assertThrows(IllegalArgumentException.class, () -> x.narrow(0, 0, -1));
            assertThrows(IllegalArgumentException.class, () -> x.narrow(2, 0, 1));
            IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class, () -> x.select(0, 4));
            assertTrue(oob.getMessage().contains("index 4") && oob.getMessage().contains("(4, 3)"), oob.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> x.select(0, -1));
            assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(DType.FLOAT32, d).select(0, 0));

            Tensor empty = Tensor.zeros(DType.FLOAT32, d, 3, 0, 2);
            assertArrayEquals(new long[] {1, 0, 2}, empty.narrow(0, 2, 1).shape());
            assertArrayEquals(new long[] {0, 2}, empty.select(0, 2).shape());
            assertArrayEquals(new long[] {0, 0, 2}, empty.narrow(0, 3, 0).shape());
            assertEquals(0, empty.narrow(0, 3, 0).toFloatArray().length);
        });
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void sliceAndCopyDoNotShareMemory(Device device) {
        withScope(device, d -> {
            Tensor x = sample(DType.INT32, 2, 3, 4).to(d);
            int[] all = x.toIntArray();
            for (int axis = 0; axis < 3; axis++) {
                long n = x.shape(axis);
                for (long start = 0; start <= n; start++) {
                    for (long len = 0; start + len <= n; len++) {
                        Tensor s = x.slice(axis, start, len);
                        long[] shape = x.shape();
                        shape[axis] = len;
                        assertArrayEquals(shape, s.shape());
                        assertArrayEquals(sliceReference(all, x.shape(), axis, start, len), s.toIntArray(),
                                "slice(" + axis + ", " + start + ", " + len + ")");
                        assertFalse(s.sharesMemoryWith(x));
                    }
                }
            }
            Tensor s = x.slice(-1, 1, 2);
            s.fillInPlace(0);
            assertArrayEquals(all, x.toIntArray(), "writing to a slice leaves the source alone");
            Tensor c = x.copy();
            assertFalse(c.sharesMemoryWith(x));
            assertEquals(d, c.device());
            c.fillInPlace(5);
            assertArrayEquals(all, x.toIntArray(), "writing to a copy leaves the source alone");
            assertThrows(IllegalArgumentException.class, () -> x.slice(1, 2, 2));
            assertThrows(IllegalArgumentException.class, () -> x.slice(3, 0, 1));
            Tensor empty = Tensor.zeros(DType.UINT8, d, 3, 0, 2);
            assertArrayEquals(new long[] {3, 0, 1}, empty.slice(2, 1, 1).shape());
            assertArrayEquals(new long[] {3, 0, 2}, empty.copy().shape());
        });
    }

    /** Straightforward reference: copy every element whose index along {@code axis} is in range. */
    private static int[] sliceReference(int[] data, long[] shape, int axis, long start, long len) {
        long inner = Shapes.numel(shape, axis + 1, shape.length);
        long outer = Shapes.numel(shape, 0, axis);
        int[] out = new int[(int) (outer * len * inner)];
        int k = 0;
        for (long o = 0; o < outer; o++) {
            for (long a = start; a < start + len; a++) {
                for (long i = 0; i < inner; i++) {
                    out[k++] = data[(int) ((o * shape[axis] + a) * inner + i)];
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void copyFromAcrossDevicesChecksShapeAndDtype(Device device) {
        withScope(device, d -> {
            Tensor host = sample(DType.FLOAT32, 2, 3);
            Tensor there = Tensor.zeros(DType.FLOAT32, d, 2, 3);
            assertSame(there, there.copyFrom(host));
            assertArrayEquals(host.toFloatArray(), there.toFloatArray());
            Tensor back = Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 3).copyFrom(there);
            assertArrayEquals(host.toFloatArray(), back.toFloatArray());
            Tensor same = Tensor.zeros(DType.FLOAT32, d, 2, 3).copyFrom(there);
            assertArrayEquals(host.toFloatArray(), same.toFloatArray());
            IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                    () -> Tensor.zeros(DType.FLOAT32, d, 3, 2).copyFrom(host));
            assertEquals("source must have the same shape as destination (3, 2), got (2, 3)", shape.getMessage());
            IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                    () -> Tensor.zeros(DType.FLOAT64, d, 2, 3).copyFrom(host));
            assertTrue(type.getMessage().startsWith("source must have dtype float64, got float32"), type.getMessage());
            Tensor empty = Tensor.zeros(DType.BOOL, d, 3, 0, 2).copyFrom(Tensor.zeros(DType.BOOL, Device.CPU, 3, 0, 2));
            assertEquals(0, empty.numel());
        });
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void toReturnsThisWhenNothingChanges(Device device) {
        withScope(device, d -> {
            Tensor x = sample(DType.INT64, 3).to(d);
            assertSame(x, x.to(d));
            assertSame(x, x.to(DType.INT64));
            assertSame(x, x.to(d, DType.INT64));
            Tensor y = x.to(Device.CPU, DType.FLOAT32);
            assertEquals(Device.CPU, y.device());
            assertEquals(DType.FLOAT32, y.dtype());
            Tensor z = y.to(d, DType.INT32);
            assertEquals(d, z.device());
            assertEquals(DType.INT32, z.dtype());
            int owned = Scope.current().ownedCount();
            Tensor moved = x.to(Device.CPU, DType.FLOAT64);
            Tensor movedBack = y.to(d, DType.INT64);
            int added = (moved == x ? 0 : 1) + (movedBack == y ? 0 : 1);
            assertEquals(owned + added, Scope.current().ownedCount(), "to(Device, DType) frees its intermediate");
            assertArrayEquals(y.toLongArray(), movedBack.toLongArray());
            float[] f = y.toFloatArray();
            int[] expected = new int[f.length];
            for (int i = 0; i < f.length; i++) {
                expected[i] = (int) f[i];
            }
            assertArrayEquals(expected, z.toIntArray());
        });
    }

    // ------------------------------------------------------------------ text

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void toStringShowsShapeDtypeDeviceAndValues(Device device) {
        withScope(device, d -> {
            String s = Tensor.of(new float[] {1, 2.5f, -3, 4, 5, 6}, 2, 3).to(d).toString();
            assertEquals("Tensor(shape=(2, 3), dtype=float32, device=" + d + ")\n[[1.0, 2.5, -3.0],\n [4.0, 5.0, 6.0]]", s);
            assertEquals("Tensor(shape=(), dtype=int64, device=" + d + ")\n-5",
                    Tensor.of(new long[] {-5}).reshape().to(d).toString());
            assertEquals("Tensor(shape=(3,), dtype=bool, device=" + d + ")\n[true, false, true]",
                    Tensor.of(new boolean[] {true, false, true}).to(d).toString());
            assertEquals("Tensor(shape=(2,), dtype=uint8, device=" + d + ")\n[255, 0]",
                    Tensor.ofUint8(new byte[] {-1, 0}).to(d).toString());
            assertEquals("Tensor(shape=(0,), dtype=float64, device=" + d + ")\n[]",
                    Tensor.zeros(DType.FLOAT64, d, 0).toString());
            assertEquals("Tensor(shape=(2, 0), dtype=int32, device=" + d + ")\n[[],\n []]",
                    Tensor.zeros(DType.INT32, d, 2, 0).toString());

            Tensor thousand = Tensor.zeros(DType.INT32, d, 1000);
            assertFalse(thousand.toString().contains("..."), "1000 elements are shown in full");
            long[] values = new long[1100];
            for (int i = 0; i < values.length; i++) {
                values[i] = i;
            }
            String big = Tensor.of(values).narrow(0, 0, 1001).to(d).toString();
            assertEquals("Tensor(shape=(1001,), dtype=int64, device=" + d + ")\n[0, 1, 2, ..., 998, 999, 1000]", big);
            String grid = Tensor.of(values).reshape(11, 100).to(d).toString();
            String[] lines = grid.split("\n");
            assertEquals("Tensor(shape=(11, 100), dtype=int64, device=" + d + ")", lines[0]);
            assertEquals("[[0, 1, 2, ..., 97, 98, 99],", lines[1]);
            assertEquals(" ...,", lines[4]);
            assertEquals(" [200, 201, 202, ..., 297, 298, 299],", lines[3]);
            assertEquals(" [800, 801, 802, ..., 897, 898, 899],", lines[5]);
            assertEquals(" [1000, 1001, 1002, ..., 1097, 1098, 1099]]", lines[7]);
            assertEquals(8, lines.length);

            Tensor closed = Tensor.zeros(DType.FLOAT32, d, 2);
            closed.close();
            assertEquals("Tensor(shape=(2,), dtype=float32, device=" + d + ") <freed>", closed.toString());
        });
    }

    // ------------------------------------------------------------------ errors

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void everyUseAfterCloseThrowsIllegalState(Device device) {
        withScope(device, d -> {
            Tensor x = sample(DType.FLOAT32, 2, 3).to(d);
            Tensor view = x.reshape(3, 2);
            Tensor other = Tensor.zeros(DType.FLOAT32, d, 2, 3);
            x.close();
            x.close(); // idempotent
            assertTrue(x.isClosed() && view.isClosed());
            assertFalse(other.isClosed());
            long cpuBefore = MemoryStats.cpuBytesInUse();
            int owned = Scope.current().ownedCount();
            for (Tensor t : new Tensor[] {x, view}) {
                assertAll(
                        () -> assertThrows(IllegalStateException.class, t::toFloatArray),
                        () -> assertThrows(IllegalStateException.class, t::toLongArray),
                        () -> assertThrows(IllegalStateException.class, t::copy),
                        () -> assertThrows(IllegalStateException.class, () -> t.to(DType.FLOAT64)),
                        () -> assertThrows(IllegalStateException.class, () -> t.to(DType.FLOAT32)),
                        () -> assertThrows(IllegalStateException.class, () -> t.to(Device.CPU)),
                        () -> assertThrows(IllegalStateException.class, () -> t.to(d)),
                        () -> assertThrows(IllegalStateException.class, () -> t.reshape(-1)),
                        () -> assertThrows(IllegalStateException.class, () -> t.narrow(0, 0, 1)),
                        () -> assertThrows(IllegalStateException.class, () -> t.select(0, 0)),
                        () -> assertThrows(IllegalStateException.class, () -> t.slice(1, 0, 1)),
                        () -> assertThrows(IllegalStateException.class, () -> t.fillInPlace(1)),
                        () -> assertThrows(IllegalStateException.class, () -> t.copyFrom(other.reshape(t.shape()))),
                        () -> assertThrows(IllegalStateException.class, () -> other.reshape(t.shape()).copyFrom(t)));
            }
            assertEquals(owned, Scope.current().ownedCount(), "failed calls allocate nothing");
            ScopeContractTest.assertNoGrowth(cpuBefore, MemoryStats.cpuBytesInUse(), "failed calls allocate nothing");
            Tensor emptyClosed = Tensor.zeros(DType.INT32, d, 0);
            emptyClosed.close();
            assertThrows(IllegalStateException.class, emptyClosed::toIntArray, "zero-size tensors too");
            assertThrows(IllegalStateException.class, () -> Tensor.zeros(DType.INT32, d, 0).copyFrom(emptyClosed));
        });
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void elementAccessChecksIndexAndDevice(Device device) {
        withScope(device, d -> {
            Tensor x = sample(DType.INT64, 2, 3).to(d);
            if (d.isCpu()) {
                long[] all = x.toLongArray();
                assertEquals(all[5], x.getLong(1, 2));
                assertEquals((double) all[4], x.getDouble(1, 1));
                x.set(-3, 0, 1);
                assertEquals(-3, x.getLong(0, 1));
                IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> x.getLong(2, 0));
                assertTrue(e.getMessage().contains("[2, 0]") && e.getMessage().contains("(2, 3)"), e.getMessage());
                assertThrows(IndexOutOfBoundsException.class, () -> x.getDouble(0, -1));
                assertThrows(IndexOutOfBoundsException.class, () -> x.set(1, 0, 3));
                IllegalArgumentException r = assertThrows(IllegalArgumentException.class, () -> x.getLong(1));
                assertTrue(r.getMessage().contains("1 coordinates") && r.getMessage().contains("rank is 2"), r.getMessage());
                assertEquals(7.0, Tensor.full(7, DType.FLOAT32, d).getDouble());
                assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(DType.FLOAT32, d, 3, 0, 2).getDouble(0, 0, 0));
                assertThrows(IllegalStateException.class, x::devicePointer);
            } else {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.getLong(0, 0));
                assertTrue(e.getMessage().contains(d.toString()), e.getMessage());
                assertThrows(IllegalStateException.class, () -> x.set(1, 0, 0));
                assertThrows(IllegalStateException.class, x::cpuSegment);
            }
        });
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void checksNameExpectedAndActual(Device device) {
        withScope(device, d -> {
            Tensor centers = Tensor.zeros(DType.FLOAT32, d, 8, 50, 3);
            IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                    () -> TensorChecks.requireShape(centers, "centers", "(B, M, 2)", TensorChecks.ANY, TensorChecks.ANY, 2));
            assertEquals("centers must have shape (B, M, 2), got (8, 50, 3)", shape.getMessage());
            assertSame(centers, TensorChecks.requireShape(centers, "centers", "(B, M, 3)", TensorChecks.ANY, 50, 3));
            assertThrows(IllegalArgumentException.class,
                    () -> TensorChecks.requireShape(centers, "centers", "(B, M)", TensorChecks.ANY, TensorChecks.ANY));
            assertEquals("centers must have dtype int32, got float32", assertThrows(IllegalArgumentException.class,
                    () -> TensorChecks.requireDType(centers, "centers", DType.INT32)).getMessage());
            assertEquals("centers must have dtype [int32, int64], got float32", assertThrows(IllegalArgumentException.class,
                    () -> TensorChecks.requireDType(centers, "centers", DType.INT32, DType.INT64)).getMessage());
            assertEquals("centers must have rank 2, got shape (8, 50, 3)", assertThrows(IllegalArgumentException.class,
                    () -> TensorChecks.requireRank(centers, "centers", 2)).getMessage());
            assertEquals("radii must not be null", assertThrows(IllegalArgumentException.class,
                    () -> TensorChecks.requireNonNull(null, "radii")).getMessage());
            Device elsewhere = d.isCpu() ? Device.cuda(0) : Device.CPU;
            assertEquals("centers must be on " + elsewhere + ", got " + d, assertThrows(IllegalArgumentException.class,
                    () -> TensorChecks.requireDevice(centers, "centers", elsewhere)).getMessage());
            Tensor host = Tensor.zeros(DType.FLOAT32, Device.CPU, 2);
            assertEquals(d, TensorChecks.requireSameDevice("centers", centers, "none", null, "more", centers));
            if (d.isCuda()) {
                assertEquals("radii must be on the same device as centers (" + d + "), got cpu",
                        assertThrows(IllegalArgumentException.class,
                                () -> TensorChecks.requireSameDevice("centers", centers, "radii", host)).getMessage());
            }
            assertEquals("b must have the same shape as a (8, 50, 3), got (2,)", assertThrows(IllegalArgumentException.class,
                    () -> TensorChecks.requireSameShape(centers, "a", host, "b")).getMessage());
        });
    }
}
