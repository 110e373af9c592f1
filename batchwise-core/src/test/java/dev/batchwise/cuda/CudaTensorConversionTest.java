package dev.batchwise.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Fill and dtype conversion on the GPU give bit-for-bit the CPU results (NaN compared as NaN, since
 * the GPU may return a different NaN payload), including NaN, ±inf, huge values, -0 and zero-size
 * tensors (GPU only).
 */
class CudaTensorConversionTest {
    private static final double[] FLOAT_VALUES = {
        0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.7, 127.9, 128.0, 255.0, 255.9, 256.0, 257.3, -129.0,
        300.0, -300.0, 65535.0, 16777217.0, 2147483647.0, 2147483648.0, -2147483648.0, -2147483649.0, 3e9,
        -3e9, 4294967296.0 + 7, 1e10, -1e10, 9.2233720368547758e18, -9.2233720368547758e18, 1e19, -1e19, 1e30,
        -1e30, 1e300, -1e300, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, 1e-40, Float.MIN_VALUE,
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1, 1.0 / 3, 123456789.123,
        (double) (1L << 53) + 1, -(double) (1L << 62),
    };

    private static final long[] LONG_VALUES = {
        0, 1, -1, 2, 127, 128, 255, 256, 257, -128, -129, -256, 65535, 65536, Integer.MAX_VALUE, Integer.MIN_VALUE,
        (long) Integer.MAX_VALUE + 1, (long) Integer.MIN_VALUE - 1, 1L << 32, (1L << 32) + 5, (1L << 40) + 255,
        16777217, (1L << 53) + 1, (1L << 62) + 12345, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1,
        -1234567890123L, 0x0123456789ABCDEFL,
    };

    static Stream<Arguments> pairs() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (DType from : DType.values()) {
            for (DType to : DType.values()) {
                b.add(Arguments.of(from, to));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pairs")
    void castMatchesTheCpuBitForBit(DType from, DType to) {
        Device gpu = Gpu.device();
        try (Scope scope = Scope.open()) {
            Tensor src = sourceValues(from);
            Tensor cpu = src.to(to);
            Tensor onGpu = src.to(gpu).to(to);
            assertEquals(gpu, onGpu.device());
            assertEquals(to, onGpu.dtype());
            assertSameElements(cpu, onGpu.to(Device.CPU), from + " -> " + to);
            // a view with an element offset converts the right elements
            Tensor view = src.narrow(0, 3, 10);
            assertSameElements(view.to(to), view.to(gpu).to(to).to(Device.CPU), from + " -> " + to + " (view)");
            // zero-size tensors
            for (long[] shape : new long[][] {{0}, {3, 0}, {0, 4, 2}}) {
                Tensor empty = Tensor.zeros(from, gpu, shape).to(to);
                assertArrayEquals(shape, empty.shape());
                assertEquals(0, empty.to(Device.CPU).numel());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void fillMatchesTheCpu(DType type) {
        Device gpu = Gpu.device();
        try (Scope scope = Scope.open()) {
            for (double v : FLOAT_VALUES) {
                Tensor cpu = Tensor.full(v, type, Device.CPU, 1037);
                Tensor g = Tensor.full(v, type, gpu, 1037);
                assertSameElements(cpu, g.to(Device.CPU), "fill " + type + " with " + v);
            }
            // filling a view leaves the rest alone
            Tensor base = Tensor.full(3, type, gpu, 5, 4);
            base.narrow(0, 1, 2).fillInPlace(-1);
            Tensor want = Tensor.full(3, type, Device.CPU, 5, 4);
            want.narrow(0, 1, 2).fillInPlace(-1);
            assertSameElements(want, base.to(Device.CPU), "fill of a view");
            Tensor.zeros(type, gpu, 0).fillInPlace(7);
            assertSameElements(Tensor.zeros(type, Device.CPU, 64), Tensor.zeros(type, gpu, 64).to(Device.CPU),
                    "zeros");
        }
    }

    /** A CPU tensor of 1-D values of {@code type} covering its special cases. */
    private static Tensor sourceValues(DType type) {
        return switch (type) {
            case FLOAT32, FLOAT64 -> {
                Tensor t = Tensor.of(FLOAT_VALUES);
                yield t.to(type);
            }
            case INT64 -> Tensor.of(LONG_VALUES);
            case INT32 -> {
                int[] v = new int[LONG_VALUES.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (int) LONG_VALUES[i];
                }
                yield Tensor.of(v);
            }
            case UINT8 -> {
                byte[] v = new byte[40];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (byte) (i * 37 + (i == 5 ? 255 : 0));
                }
                v[0] = (byte) 255;
                v[1] = (byte) 128;
                v[2] = 0;
                yield Tensor.ofUint8(v);
            }
            case BOOL -> {
                boolean[] v = new boolean[31];
                for (int i = 0; i < v.length; i++) {
                    v[i] = i % 3 != 0;
                }
                yield Tensor.of(v);
            }
        };
    }

    /** Equal bits, except that any NaN equals any NaN of the same width. */
    static void assertSameElements(Tensor want, Tensor got, String what) {
        assertEquals(want.dtype(), got.dtype(), what);
        assertArrayEquals(want.shape(), got.shape(), what);
        MemorySegment a = want.cpuSegment();
        MemorySegment b = got.cpuSegment();
        for (long i = 0; i < want.numel(); i++) {
            switch (want.dtype()) {
                case FLOAT32 -> {
                    float x = a.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                    float y = b.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                    assertTrue(Float.isNaN(x) ? Float.isNaN(y) : Float.floatToRawIntBits(x) == Float.floatToRawIntBits(y),
                            what + ": element " + i + " want " + x + " got " + y);
                }
                case FLOAT64 -> {
                    double x = a.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
                    double y = b.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
                    assertTrue(Double.isNaN(x) ? Double.isNaN(y)
                                    : Double.doubleToRawLongBits(x) == Double.doubleToRawLongBits(y),
                            what + ": element " + i + " want " + x + " got " + y);
                }
                case INT32 -> assertEquals(a.getAtIndex(ValueLayout.JAVA_INT, i), b.getAtIndex(ValueLayout.JAVA_INT, i),
                        what + ": element " + i);
                case INT64 -> assertEquals(a.getAtIndex(ValueLayout.JAVA_LONG, i),
                        b.getAtIndex(ValueLayout.JAVA_LONG, i), what + ": element " + i);
                case UINT8, BOOL -> assertEquals(a.get(ValueLayout.JAVA_BYTE, i), b.get(ValueLayout.JAVA_BYTE, i),
                        what + ": element " + i);
            }
        }
    }
}
