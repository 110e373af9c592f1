package dev.batchwise.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.Backends;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Tensor#to(DType)} against its javadoc: float→integer truncates toward zero and
 * saturates (NaN → 0), integer→narrower integer keeps the low bits, float→UINT8 goes through
 * int32, anything→BOOL is {@code != 0} (NaN → true), BOOL→number is 0/1, and INT64 stays exact.
 * The reference below spells the rules out with BigDecimal/BigInteger arithmetic instead of Java
 * casts, so it does not share the implementation's shortcuts.
 */
class TensorConversionTest {
    private static final BigDecimal INT32_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
    private static final BigDecimal INT32_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
    private static final BigDecimal INT64_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal INT64_MIN = BigDecimal.valueOf(Long.MIN_VALUE);

    // ------------------------------------------------------------------ reference

    /** Truncates toward zero and clamps to [min, max]; NaN → 0; infinities clamp. */
    private static BigInteger truncClamp(double v, BigDecimal min, BigDecimal max) {
        if (Double.isNaN(v)) {
            return BigInteger.ZERO;
        }
        if (v == Double.POSITIVE_INFINITY) {
            return max.toBigInteger();
        }
        if (v == Double.NEGATIVE_INFINITY) {
            return min.toBigInteger();
        }
        BigDecimal t = new BigDecimal(v).setScale(0, RoundingMode.DOWN);
        return t.max(min).min(max).toBigInteger();
    }

    private static int refInt32(double v) {
        return truncClamp(v, INT32_MIN, INT32_MAX).intValueExact();
    }

    private static long refInt64(double v) {
        return truncClamp(v, INT64_MIN, INT64_MAX).longValueExact();
    }

    private static int refUint8(double v) {
        return BigInteger.valueOf(refInt32(v)).and(BigInteger.valueOf(0xFF)).intValueExact();
    }

    private static boolean refBool(double v) {
        return Double.isNaN(v) || v > 0 || v < 0;
    }

    /** Round to nearest even float; values beyond the float range become infinities. */
    private static float refFloat32(double v) {
        if (Double.isNaN(v)) {
            return Float.NaN;
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
        }
        if (v == 0) {
            return Double.doubleToRawLongBits(v) < 0 ? -0f : 0f;
        }
        return new BigDecimal(v).floatValue();
    }

    private static float refFloat32(long v) {
        return new BigDecimal(v).floatValue();
    }

    private static double refFloat64(long v) {
        return new BigDecimal(v).doubleValue();
    }

    private static int lowInt32(long v) {
        return BigInteger.valueOf(v).intValue();
    }

    private static int lowUint8(long v) {
        return BigInteger.valueOf(v).and(BigInteger.valueOf(0xFF)).intValueExact();
    }

    // ------------------------------------------------------------------ checks

    private static List<Device> usableDevices() {
        return Backends.all().filter(d -> d.isCpu() || Device.cudaAvailable()).toList();
    }

    /** Converts {@code src} (holding {@code values} as doubles, exactly) to every dtype and checks each element. */
    private static void checkFromFloating(Tensor src, double[] values) {
        float[] f32 = src.to(DType.FLOAT32).toFloatArray();
        double[] f64 = src.to(DType.FLOAT64).toDoubleArray();
        int[] i32 = src.to(DType.INT32).toIntArray();
        long[] i64 = src.to(DType.INT64).toLongArray();
        byte[] u8 = src.to(DType.UINT8).toByteArray();
        boolean[] b = src.to(DType.BOOL).toBooleanArray();
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            String at = "element " + i + " = " + v + " (" + Long.toHexString(Double.doubleToRawLongBits(v)) + ") from "
                    + src.dtype() + " on " + src.device();
            float ef = refFloat32(v);
            assertTrue(Float.isNaN(ef) ? Float.isNaN(f32[i]) : Float.floatToRawIntBits(ef) == Float.floatToRawIntBits(f32[i]),
                    () -> at + " to float32: expected " + ef);
            assertTrue(Double.isNaN(v) ? Double.isNaN(f64[i]) : Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(f64[i]),
                    () -> at + " to float64");
            assertEquals(refInt32(v), i32[i], () -> at + " to int32");
            assertEquals(refInt64(v), i64[i], () -> at + " to int64");
            assertEquals(refUint8(v), Byte.toUnsignedInt(u8[i]), () -> at + " to uint8");
            assertEquals(refBool(v), b[i], () -> at + " to bool");
        }
    }

    /** Converts {@code src} (holding {@code values}, exactly) to every dtype and checks each element. */
    private static void checkFromInteger(Tensor src, long[] values) {
        float[] f32 = src.to(DType.FLOAT32).toFloatArray();
        double[] f64 = src.to(DType.FLOAT64).toDoubleArray();
        int[] i32 = src.to(DType.INT32).toIntArray();
        long[] i64 = src.to(DType.INT64).toLongArray();
        byte[] u8 = src.to(DType.UINT8).toByteArray();
        boolean[] b = src.to(DType.BOOL).toBooleanArray();
        for (int i = 0; i < values.length; i++) {
            long v = values[i];
            String at = "element " + i + " = " + v + " from " + src.dtype() + " on " + src.device();
            assertEquals(refFloat32(v), f32[i], () -> at + " to float32");
            assertEquals(refFloat64(v), f64[i], () -> at + " to float64");
            assertEquals(lowInt32(v), i32[i], () -> at + " to int32");
            assertEquals(v, i64[i], () -> at + " to int64 (exact)");
            assertEquals(lowUint8(v), Byte.toUnsignedInt(u8[i]), () -> at + " to uint8");
            assertEquals(v != 0, b[i], () -> at + " to bool");
        }
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<double[]> doubles() {
        Arbitrary<Double> edges = Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
                Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 0.5, -0.5, 0.99999, -0.99999, 255.5, 256.0, 257.9,
                -1.5, 2147483647.0, 2147483647.9, 2147483648.0, -2147483648.0, -2147483648.9, -2147483649.0,
                9.223372036854775807E18, -9.223372036854775808E18, 9.3e18, -9.3e18, 9007199254740993.0,
                (double) Float.MAX_VALUE, 3.4028235677973366E38, 3.4028235677973362E38, (double) Float.MIN_VALUE,
                Float.MIN_VALUE / 2.0, Float.MIN_VALUE * 0.75, 1e-50, 1.0000000596046448);
        Arbitrary<Double> small = Arbitraries.doubles().between(-1000, 1000);
        Arbitrary<Double> wide = Arbitraries.doubles().between(-1e20, 1e20);
        Arbitrary<Double> anyBits = Arbitraries.longs().map(Double::longBitsToDouble);
        Arbitrary<Double> value = Arbitraries.frequencyOf(Tuple.of(3, edges), Tuple.of(3, small), Tuple.of(2, wide),
                Tuple.of(2, anyBits));
        return value.list().ofMaxSize(48).map(l -> l.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Provide
    Arbitrary<long[]> longs() {
        Arbitrary<Long> edges = Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 1L, 255L, 256L, -256L,
                (long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE, 1L << 31, -(1L << 31) - 1, (1L << 53) + 1, -(1L << 53) - 1,
                (1L << 24) + 1, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1);
        Arbitrary<Long> any = Arbitraries.longs();
        Arbitrary<Long> small = Arbitraries.longs().between(-1000, 1000);
        return Arbitraries.frequencyOf(Tuple.of(3, edges), Tuple.of(3, any), Tuple.of(2, small))
                .list().ofMaxSize(48).map(l -> l.stream().mapToLong(Long::longValue).toArray());
    }

    // ------------------------------------------------------------------ properties

    @Property(tries = 300)
    void float64ConvertsAsDocumented(@ForAll("doubles") double[] values) {
        for (Device d : usableDevices()) {
            try (Scope s = Scope.open()) {
                checkFromFloating(Tensor.of(values).to(d), values);
            }
        }
    }

    @Property(tries = 300)
    void float32ConvertsAsDocumented(@ForAll("doubles") double[] wide) {
        float[] f = new float[wide.length];
        double[] exact = new double[wide.length];
        for (int i = 0; i < wide.length; i++) {
            f[i] = refFloat32(wide[i]);
            exact[i] = f[i];
        }
        for (Device d : usableDevices()) {
            try (Scope s = Scope.open()) {
                checkFromFloating(Tensor.of(f).to(d), exact);
            }
        }
    }

    @Property(tries = 300)
    void int64ConvertsAsDocumented(@ForAll("longs") long[] values) {
        for (Device d : usableDevices()) {
            try (Scope s = Scope.open()) {
                checkFromInteger(Tensor.of(values).to(d), values);
            }
        }
    }

    @Property(tries = 200)
    void int32Uint8AndBoolConvertAsDocumented(@ForAll("longs") long[] values) {
        int[] i32 = new int[values.length];
        long[] i32Exact = new long[values.length];
        byte[] u8 = new byte[values.length];
        long[] u8Exact = new long[values.length];
        boolean[] b = new boolean[values.length];
        long[] bExact = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            i32[i] = lowInt32(values[i]);
            i32Exact[i] = i32[i];
            u8Exact[i] = lowUint8(values[i]);
            u8[i] = (byte) u8Exact[i];
            b[i] = values[i] % 3 != 0;
            bExact[i] = b[i] ? 1 : 0;
        }
        for (Device d : usableDevices()) {
            try (Scope s = Scope.open()) {
                checkFromInteger(Tensor.of(i32).to(d), i32Exact);
                checkFromInteger(Tensor.ofUint8(u8).to(d), u8Exact);
                checkFromInteger(Tensor.of(b).to(d), bExact);
            }
        }
    }

    @Property(tries = 200)
    void wideningAndBackIsExact(@ForAll("longs") long[] values) {
        for (Device d : usableDevices()) {
            try (Scope s = Scope.open()) {
                Tensor l = Tensor.of(values).to(d);
                assertArrayEquals(values, l.toLongArray(), "INT64 leaves the device exactly");
                assertArrayEquals(values, l.to(Device.CPU).to(d).copy().toLongArray(), "and survives copies exactly");
                Tensor i = l.to(DType.INT32);
                assertArrayEquals(i.toIntArray(), i.to(DType.INT64).to(DType.INT32).toIntArray());
                assertArrayEquals(i.toIntArray(), i.to(DType.FLOAT64).to(DType.INT32).toIntArray());
                Tensor u = l.to(DType.UINT8);
                assertArrayEquals(u.toByteArray(), u.to(DType.INT32).to(DType.UINT8).toByteArray());
                assertArrayEquals(u.toByteArray(), u.to(DType.FLOAT32).to(DType.UINT8).toByteArray());
            }
        }
    }

    // ------------------------------------------------------------------ the javadoc's examples, on every backend

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void documentedExamples(Device d) {
        Backends.assumeUsable(d);
        try (Scope s = Scope.open()) {
            Tensor f = Tensor.of(new double[] {2.9, -2.9, Double.NaN, 1e20, -1e20, 300.7, -1.5, 0.0, -0.0,
                    Double.POSITIVE_INFINITY}).to(d);
            assertArrayEquals(new int[] {2, -2, 0, Integer.MAX_VALUE, Integer.MIN_VALUE, 300, -1, 0, 0, Integer.MAX_VALUE},
                    f.to(DType.INT32).toIntArray());
            assertArrayEquals(new long[] {2, -2, 0, Long.MAX_VALUE, Long.MIN_VALUE, 300, -1, 0, 0, Long.MAX_VALUE},
                    f.to(DType.INT64).toLongArray());
            assertArrayEquals(new long[] {2, 254, 0, 255, 0, 44, 255, 0, 0, 255}, f.to(DType.UINT8).toLongArray());
            assertArrayEquals(new boolean[] {true, true, true, true, true, true, true, false, false, true},
                    f.to(DType.BOOL).toBooleanArray());
            Tensor l = Tensor.of(new long[] {(1L << 53) + 1, Long.MIN_VALUE, Long.MAX_VALUE, -1, 263}).to(d);
            assertArrayEquals(new int[] {1, 0, -1, -1, 263}, l.to(DType.INT32).toIntArray());
            assertArrayEquals(new long[] {1, 0, 255, 255, 7}, l.to(DType.UINT8).toLongArray());
            assertArrayEquals(new double[] {0x1p53, -0x1p63, 0x1p63, -1, 263}, l.to(DType.FLOAT64).toDoubleArray());
            assertArrayEquals(new long[] {(1L << 53) + 1, Long.MIN_VALUE, Long.MAX_VALUE, -1, 263}, l.toLongArray(),
                    "INT64 values leave exactly");
            Tensor b = Tensor.of(new boolean[] {true, false}).to(d);
            assertArrayEquals(new float[] {1, 0}, b.to(DType.FLOAT32).toFloatArray());
            assertArrayEquals(new long[] {1, 0}, b.to(DType.UINT8).toLongArray());
            Tensor z = Tensor.zeros(DType.FLOAT32, d, 3, 0, 2);
            for (DType t : DType.values()) {
                Tensor c = z.to(t);
                assertEquals(t, c.dtype());
                assertArrayEquals(new long[] {3, 0, 2}, c.shape());
            }
        }
    }
}
