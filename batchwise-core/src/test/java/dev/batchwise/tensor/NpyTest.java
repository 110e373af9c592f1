package dev.batchwise.tensor;

import static dev.batchwise.tensor.NpyFixtures.assertBitEqual;
import static dev.batchwise.tensor.NpyFixtures.path;
import static dev.batchwise.tensor.NpyFixtures.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.Backends;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NpyTest {
    @TempDir
    Path tmp;

    /** Fixtures np.save wrote in C order, little-endian: file, dtype, shape. */
    static Stream<Arguments> cOrderFixtures() {
        return Stream.of(
                Arguments.of("f4_2x3.npy", DType.FLOAT32, new long[] {2, 3}),
                Arguments.of("f8_4.npy", DType.FLOAT64, new long[] {4}),
                Arguments.of("i4_2x3x4.npy", DType.INT32, new long[] {2, 3, 4}),
                Arguments.of("i8_3x5.npy", DType.INT64, new long[] {3, 5}),
                Arguments.of("u1_2x3x4.npy", DType.UINT8, new long[] {2, 3, 4}),
                Arguments.of("b1_7.npy", DType.BOOL, new long[] {7}),
                Arguments.of("f8_scalar.npy", DType.FLOAT64, new long[] {}),
                Arguments.of("i4_scalar.npy", DType.INT32, new long[] {}),
                Arguments.of("u1_scalar.npy", DType.UINT8, new long[] {}),
                Arguments.of("f4_empty_0.npy", DType.FLOAT32, new long[] {0}),
                Arguments.of("i8_empty_3x0x2.npy", DType.INT64, new long[] {3, 0, 2}),
                Arguments.of("b1_empty_0x4.npy", DType.BOOL, new long[] {0, 4}));
    }

    /** Fixtures stored differently (Fortran order, big-endian, other spellings and versions). */
    static Stream<Arguments> otherLayoutFixtures() {
        return Stream.of(
                Arguments.of("f8_fortran_2x3x4.npy", DType.FLOAT64, new long[] {2, 3, 4}),
                Arguments.of("i4_fortran_3x5.npy", DType.INT32, new long[] {3, 5}),
                Arguments.of("u1_fortran_4x3x2.npy", DType.UINT8, new long[] {4, 3, 2}),
                Arguments.of("b1_fortran_3x4.npy", DType.BOOL, new long[] {3, 4}),
                Arguments.of("f4_be_2x3x4.npy", DType.FLOAT32, new long[] {2, 3, 4}),
                Arguments.of("f8_be_5.npy", DType.FLOAT64, new long[] {5}),
                Arguments.of("i4_be_3x2.npy", DType.INT32, new long[] {3, 2}),
                Arguments.of("i8_be_2x2x2.npy", DType.INT64, new long[] {2, 2, 2}),
                Arguments.of("f8_be_fortran_3x4.npy", DType.FLOAT64, new long[] {3, 4}),
                Arguments.of("i4_native_3x2.npy", DType.INT32, new long[] {3, 2}),
                Arguments.of("u1_lt_5.npy", DType.UINT8, new long[] {5}),
                Arguments.of("f4_oddheader_2x3.npy", DType.FLOAT32, new long[] {2, 3}),
                Arguments.of("f4_v2_2x3.npy", DType.FLOAT32, new long[] {2, 3}),
                Arguments.of("f4_v3_2x3.npy", DType.FLOAT32, new long[] {2, 3}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cOrderFixtures")
    void readsNumpyFilesOfEveryDtype(String file, DType dtype, long[] shape) throws IOException {
        try (Scope s = Scope.open()) {
            Tensor t = Npy.read(path(file));
            assertEquals(Device.CPU, t.device());
            assertBitEqual(pattern(dtype, shape), t);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherLayoutFixtures")
    void readsFortranOrderBigEndianAndOtherVersions(String file, DType dtype, long[] shape) throws IOException {
        try (Scope s = Scope.open()) {
            assertBitEqual(pattern(dtype, shape), Npy.read(path(file)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cOrderFixtures")
    void writesTheBytesNumpyWrites(String file, DType dtype, long[] shape) throws IOException {
        try (Scope s = Scope.open()) {
            Path out = tmp.resolve("out.npy");
            Npy.write(out, pattern(dtype, shape));
            assertArrayEquals(Files.readAllBytes(path(file)), Files.readAllBytes(out));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Npy.write(bytes, pattern(dtype, shape));
            assertArrayEquals(Files.readAllBytes(path(file)), bytes.toByteArray());
        }
    }

    @Test
    void specialFloatsAndIntegerExtremesSurviveBitExactly() throws IOException {
        int[] f4 = {0x7FC00000, 0xFFC00000, 0x7FC00001, 0x7F800000, 0xFF800000, 0x00000000, 0x80000000,
                0x7F7FFFFF, 0x00800000, 0x00000001, 0x7149F2CA, 0xBF800000};
        long[] f8 = {0x7FF8000000000000L, 0xFFF8000000000000L, 0x7FF8000000000123L, 0x7FF0000000000000L,
                0xFFF0000000000000L, 0x0000000000000000L, 0x8000000000000000L, 0x7FEFFFFFFFFFFFFFL,
                0x0010000000000000L, 0x0000000000000001L, 0x54B249AD2594C37DL, 0xBFF0000000000000L};
        try (Scope s = Scope.open()) {
            float[] got4 = Npy.read(path("f4_special.npy")).toFloatArray();
            assertArrayEquals(f4, Arrays.stream(toBoxedBits(got4)).mapToInt(Integer::intValue).toArray());
            double[] got8 = Npy.read(path("f8_special.npy")).toDoubleArray();
            assertArrayEquals(f8, Arrays.stream(got8).mapToLong(Double::doubleToRawLongBits).toArray());
            assertArrayEquals(new long[] {Long.MIN_VALUE, Long.MAX_VALUE, -1, 0, 1, (1L << 53) + 1},
                    Npy.read(path("i8_extremes.npy")).toLongArray());
            assertArrayEquals(new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE, -1, 0, 1},
                    Npy.read(path("i4_extremes.npy")).toIntArray());
            for (String f : new String[] {"f4_special.npy", "f8_special.npy", "i8_extremes.npy", "i4_extremes.npy"}) {
                Path out = tmp.resolve(f);
                Npy.write(out, Npy.read(path(f)));
                assertArrayEquals(Files.readAllBytes(path(f)), Files.readAllBytes(out), f);
            }
        }
    }

    private static Integer[] toBoxedBits(float[] v) {
        Integer[] r = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Float.floatToRawIntBits(v[i]);
        }
        return r;
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("bad_f2.npy", "'<f2' (float16)"),
                Arguments.of("bad_i1.npy", "'|i1' (int8)"),
                Arguments.of("bad_c8.npy", "'<c8' (complex64)"),
                Arguments.of("bad_str.npy", "unicode strings"),
                Arguments.of("bad_structured.npy", "structured arrays"),
                Arguments.of("bad_object.npy", "Python objects"),
                Arguments.of("bad_magic.npy", "bad magic"),
                Arguments.of("bad_truncated_data.npy", "truncated data"),
                Arguments.of("bad_truncated_header.npy", "truncated header"),
                Arguments.of("bad_version.npy", "version 4.0"),
                Arguments.of("bad_no_shape.npy", "'shape' is missing"),
                Arguments.of("bad_negative_shape.npy", "integers >= 0"),
                Arguments.of("bad_syntax.npy", "malformed header"),
                Arguments.of("bad_empty.npy", "empty input"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void refusesBadFilesNamingFileAndProblem(String file, String problem) {
        long before = MemoryStats.cpuBytesInUse();
        try (Scope s = Scope.open()) {
            NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(path(file)));
            assertTrue(e.getMessage().startsWith(path(file).toString() + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(problem), () -> "expected '" + problem + "' in: " + e.getMessage());
            assertEquals(0, s.ownedCount(), "a failed read must not leave tensors behind");
        }
        ScopeContractTest.assertNoGrowth(before, MemoryStats.cpuBytesInUse(), "CPU bytes after failed reads");
    }

    @Test
    void aHugeShapeInATruncatedFileIsRefusedBeforeAllocating() throws IOException {
        byte[] header = Npy.header(DType.FLOAT64, new long[] {1L << 20, 1L << 20}); // 8 TiB announced
        Path f = tmp.resolve("huge.npy");
        Files.write(f, Arrays.copyOf(header, header.length + 16));
        long before = MemoryStats.cpuBytesInUse();
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("truncated data") && e.getMessage().contains("8796093022208 bytes")
                && e.getMessage().contains("only 16 bytes follow"), e.getMessage());
        ScopeContractTest.assertNoGrowth(before, MemoryStats.cpuBytesInUse(), "nothing was allocated");
    }

    @Test
    void missingFileIsAnIOException() {
        IOException e = assertThrows(IOException.class, () -> Npy.read(tmp.resolve("nope.npy")));
        assertFalse(e instanceof NpyFormatException);
        assertTrue(e.getMessage().contains("nope.npy"), e.getMessage());
    }

    static Stream<Arguments> roundTripCases() {
        Stream.Builder<Arguments> b = Stream.builder();
        long[][] shapes = {{}, {0}, {1}, {5}, {3, 0, 2}, {2, 3, 4}, {1, 1, 7}};
        for (DType d : DType.values()) {
            for (long[] s : shapes) {
                b.add(Arguments.of(d, s));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("roundTripCases")
    void ownFilesRoundTripThroughPathAndStream(DType dtype, long[] shape) throws IOException {
        try (Scope s = Scope.open()) {
            Tensor t = pattern(dtype, shape);
            Path f = tmp.resolve("t.npy");
            Npy.write(f, t);
            assertBitEqual(t, Npy.read(f));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Npy.write(bytes, t);
            assertBitEqual(t, Npy.read(new ByteArrayInputStream(bytes.toByteArray())));
            assertEquals(0, (bytes.size() - t.byteSize()) % 64, "data starts at a multiple of 64 bytes");
        }
    }

    @Test
    void streamHoldsConsecutiveArraysAndIgnoresNothingElse() throws IOException {
        try (Scope s = Scope.open()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Tensor a = pattern(DType.FLOAT64, 2, 2);
            Tensor b = pattern(DType.UINT8, 3);
            Tensor c = pattern(DType.INT64);
            Npy.write(bytes, a);
            Npy.write(bytes, b);
            Npy.write(bytes, c);
            bytes.write(new byte[] {1, 2, 3});
            InputStream in = new ByteArrayInputStream(bytes.toByteArray());
            assertBitEqual(a, Npy.read(in));
            assertBitEqual(b, Npy.read(in));
            assertBitEqual(c, Npy.read(in));
            assertEquals(3, in.available(), "the stream is left just after the third array");
        }
    }

    @Test
    void trailingBytesAfterTheDataAreIgnored() throws IOException {
        try (Scope s = Scope.open()) {
            byte[] file = Files.readAllBytes(path("f4_2x3.npy"));
            byte[] longer = Arrays.copyOf(file, file.length + 5);
            Path f = tmp.resolve("longer.npy");
            Files.write(f, longer);
            assertBitEqual(pattern(DType.FLOAT32, 2, 3), Npy.read(f));
        }
    }

    @Test
    void boolBytesOtherThanZeroReadAsTrue() throws IOException {
        try (Scope s = Scope.open()) {
            byte[] file = Files.readAllBytes(path("b1_7.npy"));
            int data = file.length - 7;
            file[data + 1] = 2; // element 1 was false
            file[data + 3] = (byte) 0xFF; // element 3 was true
            Tensor t = Npy.read(new ByteArrayInputStream(file));
            assertArrayEquals(new boolean[] {true, true, false, true, false, false, true}, t.toBooleanArray());
            assertEquals(1, t.getLong(1));
            assertEquals(1, t.getLong(3));
        }
    }

    @Test
    void headersLongerThan65535BytesUseVersion2() throws IOException {
        try (Scope s = Scope.open()) {
            long[] shape = new long[25_000]; // "1, " per axis: a header of about 75 kB
            Arrays.fill(shape, 1);
            shape[0] = 2;
            Tensor t = pattern(DType.INT32, shape);
            Path f = tmp.resolve("deep.npy");
            Npy.write(f, t);
            byte[] bytes = Files.readAllBytes(f);
            assertEquals(2, bytes[6], "major version");
            assertEquals(0, bytes[7], "minor version");
            long headerLen = ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
            assertEquals(bytes.length - 8L, 12 + headerLen, "header length field");
            assertEquals(0, (12 + headerLen) % 64);
            assertEquals('\n', bytes[(int) (12 + headerLen - 1)]);
            assertBitEqual(t, Npy.read(f));
        }
    }

    @Test
    void shortHeadersUseVersion1AlignedTo64() throws IOException {
        try (Scope s = Scope.open()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Npy.write(bytes, pattern(DType.FLOAT32, 123456789012L / 123456789012L * 3, 4));
            byte[] b = bytes.toByteArray();
            assertEquals(1, b[6]);
            int headerLen = ByteBuffer.wrap(b, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF;
            assertEquals(0, (10 + headerLen) % 64);
            String header = new String(b, 10, headerLen, StandardCharsets.ISO_8859_1);
            assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }"), header);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void readsOntoAndWritesFromEveryDevice(Device device) throws IOException {
        Backends.assumeUsable(device);
        try (Scope s = Scope.open()) {
            Tensor expectedInt = pattern(DType.INT32, 2, 3, 4);
            Tensor expectedFortran = pattern(DType.FLOAT64, 2, 3, 4);
            Tensor t = Npy.read(path("i4_2x3x4.npy"), device);
            assertEquals(device, t.device());
            Tensor f = Npy.read(new ByteArrayInputStream(Files.readAllBytes(path("f8_fortran_2x3x4.npy"))), device);
            assertEquals(device, f.device());
            assertEquals(4, s.ownedCount(), "only the two results were added; host temporaries are freed");
            assertBitEqual(expectedInt, t);
            assertBitEqual(expectedFortran, f);
            Path out = tmp.resolve("dev.npy");
            Npy.write(out, t);
            assertArrayEquals(Files.readAllBytes(path("i4_2x3x4.npy")), Files.readAllBytes(out));
            assertEquals(4, s.ownedCount(), "writing leaves no host copy behind");
        }
    }

    @Test
    void writingAClosedTensorFailsBeforeCreatingTheFile() {
        Tensor t = pattern(DType.FLOAT32, 2);
        t.close();
        Path f = tmp.resolve("closed.npy");
        assertThrows(IllegalStateException.class, () -> Npy.write(f, t));
        assertFalse(Files.exists(f));
        assertThrows(IllegalStateException.class, () -> Npy.write(new ByteArrayOutputStream(), t));
    }

    @Test
    void nullArgumentsAreIllegal() {
        assertThrows(IllegalArgumentException.class, () -> Npy.read((Path) null));
        assertThrows(IllegalArgumentException.class, () -> Npy.read((InputStream) null));
        assertThrows(IllegalArgumentException.class, () -> Npy.read(path("f4_2x3.npy"), null));
        assertThrows(IllegalArgumentException.class, () -> Npy.write(tmp.resolve("x.npy"), null));
        assertThrows(IllegalArgumentException.class, () -> Npy.write((Path) null, pattern(DType.BOOL, 1)));
    }

    @Test
    void headerParserAcceptsPythonLiteralVariantsAndRejectsOthers() throws IOException {
        Npy.Header h = Npy.parseHeader("{'shape':(4,),'descr':'>i8','fortran_order':True}\n", "x");
        assertEquals(DType.INT64, h.dtype());
        assertEquals(ByteOrder.BIG_ENDIAN, h.order());
        assertTrue(h.fortranOrder());
        assertArrayEquals(new long[] {4}, h.shape());
        assertArrayEquals(new long[] {}, Npy.parseHeader("{'descr': 'f8', 'fortran_order': False, 'shape': ()}", "x").shape());
        assertEquals(ByteOrder.nativeOrder(), Npy.parseHeader("{'descr': 'f8', 'fortran_order': False, 'shape': ()}", "x").order());
        for (String bad : new String[] {
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'extra': 1}",
                "{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 3)}",
                "{'descr': '<f4', 'fortran_order': False, 'shape': [2, 3]}",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 'a')}",
                "{'descr': '|f4', 'fortran_order': False, 'shape': (2,)}",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999)}",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} trailing",
                "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}",
                "['descr']"}) {
            NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.parseHeader(bad, "src.npy"), bad);
            assertTrue(e.getMessage().startsWith("src.npy: "), e.getMessage());
        }
    }
}
