package dev.batchwise.tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes NumPy {@code .npy} files: one array per file, the format of {@code numpy.save}
 * and {@code numpy.load}.
 *
 * <h2>Reading</h2>
 * Accepts format versions 1.0, 2.0 and 3.0 and the element types of every {@link DType}:
 * {@code f4} (FLOAT32), {@code f8} (FLOAT64), {@code i4} (INT32), {@code i8} (INT64), {@code u1}
 * (UINT8) and {@code b1} (BOOL), in any byte order ({@code <}, {@code >}, {@code =}, {@code |};
 * big-endian data is converted). Arrays stored in Fortran (column-major) order are re-laid-out
 * into batchwise's C (row-major) order, so the tensor's element at index {@code (i, j, k)} is the
 * NumPy array's {@code a[i, j, k]} either way. BOOL bytes other than 0 read as true (1). Reading
 * returns a new CPU tensor owned by the current {@link Scope}; {@link #read(Path, Device)} puts it
 * on another device. Bytes after the array's data are ignored (as NumPy does), and the stream
 * variant leaves the stream just after the data, so several arrays written one after another can
 * be read back in order.
 *
 * <h2>Writing</h2>
 * Writes C-ordered little-endian data with the header NumPy itself writes: format version 1.0
 * (2.0 only when the header does not fit in 65,535 bytes), the dictionary padded with spaces and
 * a newline so that the data starts at a multiple of 64 bytes. The file written for a tensor is
 * byte-for-byte the file {@code numpy.save} writes for the equal array. GPU tensors are copied to
 * the host first (waiting for pending work); the tensor is not modified.
 *
 * <h2>Errors</h2>
 * <ul>
 *   <li>{@link NpyFormatException} (an {@link IOException}) when the content is unusable: bad
 *       magic string, unknown version, malformed header, unsupported element type (float16,
 *       int8, complex, strings, objects, structured records, …), or truncated data. The message
 *       names the file and the problem.</li>
 *   <li>{@link IOException} when the file cannot be opened, read or written.</li>
 *   <li>{@link IllegalArgumentException} for null arguments; {@link IllegalStateException} when
 *       the tensor to write was closed.</li>
 * </ul>
 *
 * <pre>{@code
 * try (Scope scope = Scope.open()) {
 *     Tensor boxes = Npy.read(Path.of("boxes.npy"));          // e.g. (N, 4) float32 on the CPU
 *     Npy.write(Path.of("boxes-copy.npy"), boxes);            // np.load gives the same array
 * }
 * }</pre>
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Headers longer than this are refused before any allocation (NumPy's own limit is far lower). */
    private static final long MAX_HEADER_BYTES = 16L << 20;
    private static final int ALIGN = 64;
    /** NumPy pads the header so that the first extent can grow to this many digits in place. */
    private static final int GROWTH_DIGITS = 21;
    private static final long CHUNK = 1L << 30;

    private Npy() {}

    // ------------------------------------------------------------------ reading

    /**
     * Reads the array in {@code path} into a new CPU tensor (owned by the current scope).
     *
     * @return a tensor with the file's shape and the matching {@link DType}, C order
     * @throws NpyFormatException if the file is not a supported .npy array (message names the file)
     * @throws IOException if the file cannot be read
     */
    public static Tensor read(Path path) throws IOException {
        requireNonNull(path, "path");
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return read(ch, path.toString());
        }
    }

    /**
     * Reads the array in {@code path} into a new tensor on {@code device} (via the host; the
     * temporary host copy is freed before returning).
     *
     * @throws NpyFormatException if the file is not a supported .npy array
     * @throws IOException if the file cannot be read
     */
    public static Tensor read(Path path, Device device) throws IOException {
        requireNonNull(device, "device");
        return toDevice(read(path), device);
    }

    /**
     * Reads one array from {@code in}, consuming exactly its header and data; the stream is left
     * open and positioned after the array.
     *
     * @throws NpyFormatException if the bytes are not a supported .npy array
     * @throws IOException if reading fails
     */
    public static Tensor read(InputStream in) throws IOException {
        requireNonNull(in, "in");
        return read(Channels.newChannel(in), "stream");
    }

    /**
     * Reads one array from {@code in} (as {@link #read(InputStream)}) into a new tensor on
     * {@code device}; the temporary host copy is freed before returning.
     *
     * @throws NpyFormatException if the bytes are not a supported .npy array
     * @throws IOException if reading fails
     */
    public static Tensor read(InputStream in, Device device) throws IOException {
        requireNonNull(device, "device");
        return toDevice(read(in), device);
    }

    static Tensor toDevice(Tensor cpu, Device device) {
        if (device.isCpu()) {
            return cpu;
        }
        try {
            return cpu.to(device);
        } finally {
            cpu.close();
        }
    }

    /** Reads one array from {@code ch}; {@code source} names it in error messages. */
    static Tensor read(ReadableByteChannel ch, String source) throws IOException {
        Header h = readHeader(ch, source);
        int rank = h.shape.length;
        long[] stored = h.shape.clone();
        if (h.fortranOrder) {
            for (int i = 0; i < rank; i++) {
                stored[i] = h.shape[rank - 1 - i]; // Fortran order of shape = C order of reversed shape
            }
        }
        long needed = Shapes.numel(h.shape) * h.dtype.byteSize();
        if (ch instanceof SeekableByteChannel file && file.size() - file.position() < needed) {
            // Refuse before allocating: a damaged header must not ask for terabytes.
            throw truncated(source, h, needed, Math.max(0, file.size() - file.position()));
        }
        Tensor raw = Tensor.empty(h.dtype, Device.CPU, stored);
        boolean returnRaw = false;
        try {
            MemorySegment seg = raw.cpuSegment();
            long got = readFully(ch, seg);
            if (got < seg.byteSize()) {
                throw truncated(source, h, seg.byteSize(), got);
            }
            if (h.order != ByteOrder.nativeOrder() && h.dtype.byteSize() > 1) {
                swapBytes(seg, h.dtype.byteSize());
            }
            if (h.dtype == DType.BOOL) {
                normaliseBool(seg);
            }
            if (!h.fortranOrder || rank < 2) { // rank 0 and 1: both orders are the same bytes
                returnRaw = true;
                return raw;
            }
            Tensor out = Tensor.empty(h.dtype, Device.CPU, h.shape);
            fortranToC(seg, out.cpuSegment(), h.shape, h.dtype.byteSize());
            return out;
        } finally {
            if (!returnRaw) {
                raw.close();
            }
        }
    }

    private static NpyFormatException truncated(String source, Header h, long needed, long present) {
        return new NpyFormatException(source + ": truncated data: the header announces shape " + Shapes.format(h.shape)
                + " of '" + h.descr + "' (" + needed + " bytes), but only " + present + " bytes follow");
    }

    /** The parsed header: element type, byte order of the data, layout and shape. */
    record Header(String descr, DType dtype, ByteOrder order, boolean fortranOrder, long[] shape) {}

    static Header readHeader(ReadableByteChannel ch, String source) throws IOException {
        ByteBuffer pre = ByteBuffer.allocate(8);
        int got = readFully(ch, pre);
        if (got == 0) {
            throw new NpyFormatException(source + ": empty input, expected a .npy array");
        }
        for (int i = 0; i < Math.min(got, MAGIC.length); i++) {
            if (pre.get(i) != MAGIC[i]) {
                throw new NpyFormatException(source + ": not a .npy file (bad magic string; a .npy file starts with"
                        + " \\x93NUMPY)");
            }
        }
        if (got < 8) {
            throw new NpyFormatException(source + ": truncated header (" + got + " bytes)");
        }
        int major = Byte.toUnsignedInt(pre.get(6));
        int minor = Byte.toUnsignedInt(pre.get(7));
        if (major < 1 || major > 3 || minor != 0) {
            throw new NpyFormatException(source + ": unsupported .npy format version " + major + "." + minor
                    + " (supported: 1.0, 2.0, 3.0)");
        }
        ByteBuffer len = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (readFully(ch, len) < len.capacity()) {
            throw new NpyFormatException(source + ": truncated header (the header length is cut off)");
        }
        long headerLen = major == 1 ? Short.toUnsignedInt(len.getShort(0)) : Integer.toUnsignedLong(len.getInt(0));
        if (headerLen > MAX_HEADER_BYTES) {
            throw new NpyFormatException(source + ": header of " + headerLen + " bytes is implausibly large");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
        int hgot = readFully(ch, hb);
        if (hgot < headerLen) {
            throw new NpyFormatException(source + ": truncated header: " + headerLen + " bytes announced, "
                    + hgot + " present");
        }
        String text = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return parseHeader(text, source);
    }

    static Header parseHeader(String text, String source) throws NpyFormatException {
        Object parsed;
        try {
            PyLiteral p = new PyLiteral(text);
            parsed = p.value();
            p.end();
        } catch (IllegalArgumentException e) {
            throw new NpyFormatException(source + ": malformed header: " + e.getMessage() + " in " + quote(text));
        }
        if (!(parsed instanceof Map<?, ?> dict)) {
            throw new NpyFormatException(source + ": malformed header: expected a dictionary, got " + quote(text));
        }
        for (Object k : dict.keySet()) {
            if (!"descr".equals(k) && !"fortran_order".equals(k) && !"shape".equals(k)) {
                throw new NpyFormatException(source + ": malformed header: unexpected key " + k
                        + " (expected descr, fortran_order, shape)");
            }
        }
        for (String k : new String[] {"descr", "fortran_order", "shape"}) {
            if (!dict.containsKey(k)) {
                throw new NpyFormatException(source + ": malformed header: key '" + k + "' is missing in " + quote(text));
            }
        }
        Object descr = dict.get("descr");
        if (!(descr instanceof String d)) {
            throw new NpyFormatException(source + ": unsupported dtype " + PyLiteral.repr(descr)
                    + ": structured arrays (records of named fields) cannot be read as tensors");
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new NpyFormatException(source + ": malformed header: fortran_order must be True or False, got "
                    + PyLiteral.repr(dict.get("fortran_order")));
        }
        if (!(dict.get("shape") instanceof PyLiteral.Tuple tuple)) {
            throw new NpyFormatException(source + ": malformed header: shape must be a tuple of integers, got "
                    + PyLiteral.repr(dict.get("shape")));
        }
        long[] shape = new long[tuple.items().size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(tuple.items().get(i) instanceof Long v) || v < 0) {
                throw new NpyFormatException(source + ": malformed header: shape must hold integers >= 0, got "
                        + PyLiteral.repr(tuple));
            }
            shape[i] = v;
        }
        DType dtype = dtypeOf(d, source);
        try {
            Math.multiplyExact(Shapes.numel(shape), (long) dtype.byteSize());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new NpyFormatException(source + ": shape " + PyLiteral.repr(tuple) + " has too many elements");
        }
        char bo = d.charAt(0);
        ByteOrder order = switch (bo) {
            case '>' -> ByteOrder.BIG_ENDIAN;
            case '<' -> ByteOrder.LITTLE_ENDIAN;
            default -> ByteOrder.nativeOrder();
        };
        return new Header(d, dtype, order, fortran, shape);
    }

    private static DType dtypeOf(String descr, String source) throws NpyFormatException {
        String code = !descr.isEmpty() && "<>=|".indexOf(descr.charAt(0)) >= 0 ? descr.substring(1) : descr;
        DType t = switch (code) {
            case "f4" -> DType.FLOAT32;
            case "f8" -> DType.FLOAT64;
            case "i4" -> DType.INT32;
            case "i8" -> DType.INT64;
            case "u1" -> DType.UINT8;
            case "b1" -> DType.BOOL;
            default -> null;
        };
        if (t == null) {
            String what = describeUnsupported(code);
            throw new NpyFormatException(source + ": unsupported dtype '" + descr + "'" + (what.isEmpty() ? "" : " (" + what + ")")
                    + "; batchwise reads f4, f8, i4, i8, u1 and b1 (float32, float64, int32, int64, uint8, bool)");
        }
        if (descr.length() > 0 && descr.charAt(0) == '|' && t.byteSize() > 1) {
            throw new NpyFormatException(source + ": malformed dtype '" + descr + "': '|' (no byte order) is only valid"
                    + " for one-byte types");
        }
        return t;
    }

    private static String describeUnsupported(String code) {
        if (code.isEmpty()) {
            return "empty";
        }
        return switch (code.charAt(0)) {
            case 'O' -> "Python objects, stored pickled; convert to a numeric array before saving";
            case 'f' -> "float" + bits(code);
            case 'i' -> "int" + bits(code);
            case 'u' -> "uint" + bits(code);
            case 'c' -> "complex" + bits(code);
            case 'U' -> "unicode strings";
            case 'S', 'a' -> "byte strings";
            case 'V' -> "raw void records";
            case 'M' -> "datetime64";
            case 'm' -> "timedelta64";
            default -> "";
        };
    }

    private static String bits(String code) {
        try {
            return Integer.toString(Integer.parseInt(code.substring(1)) * 8);
        } catch (NumberFormatException e) {
            return "";
        }
    }

    private static String quote(String headerText) {
        String t = headerText.strip();
        return "\"" + (t.length() > 200 ? t.substring(0, 200) + "…" : t) + "\"";
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes {@code tensor} to {@code path} (created or replaced) as NumPy's {@code np.save} would.
     * GPU tensors are copied to the host first.
     *
     * @throws IllegalStateException if the tensor was closed
     * @throws IOException if the file cannot be written
     */
    public static void write(Path path, Tensor tensor) throws IOException {
        requireNonNull(path, "path");
        requireWritable(tensor);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            write(ch, tensor);
        }
    }

    /**
     * Writes {@code tensor} as one .npy array to {@code out}; the stream is neither flushed nor closed.
     *
     * @throws IllegalStateException if the tensor was closed
     * @throws IOException if writing fails
     */
    public static void write(OutputStream out, Tensor tensor) throws IOException {
        requireNonNull(out, "out");
        requireWritable(tensor);
        write(Channels.newChannel(out), tensor);
    }

    static void requireWritable(Tensor tensor) {
        requireNonNull(tensor, "tensor");
        if (tensor.isClosed()) {
            throw new IllegalStateException("cannot write a closed tensor (its memory was freed by close() or its Scope)");
        }
    }

    private static void write(WritableByteChannel ch, Tensor tensor) throws IOException {
        try (Scope scope = Scope.open()) {
            Tensor host = tensor.to(Device.CPU);
            writeFully(ch, ByteBuffer.wrap(header(host.dtype(), host.shape())));
            writeData(ch, host.cpuSegment());
        }
    }

    /**
     * The complete header NumPy writes for a C-ordered array of {@code dtype} and {@code shape}:
     * magic, version, length and the space-padded dictionary, a multiple of 64 bytes long.
     */
    static byte[] header(DType dtype, long[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '").append(descr(dtype))
                .append("', 'fortran_order': False, 'shape': ").append(Shapes.format(shape)).append(", }");
        if (shape.length > 0) {
            dict.append(" ".repeat(Math.max(0, GROWTH_DIGITS - Long.toString(shape[0]).length())));
        }
        int version = 1;
        int prefix = MAGIC.length + 2 + 2;
        int pad = ALIGN - (prefix + dict.length() + 1) % ALIGN;
        if (dict.length() + pad + 1 > 0xFFFF) {
            version = 2;
            prefix = MAGIC.length + 2 + 4;
            pad = ALIGN - (prefix + dict.length() + 1) % ALIGN;
        }
        int headerLen = dict.length() + pad + 1;
        dict.append(" ".repeat(pad)).append('\n');
        ByteBuffer b = ByteBuffer.allocate(prefix + headerLen).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) version).put((byte) 0);
        if (version == 1) {
            b.putShort((short) headerLen);
        } else {
            b.putInt(headerLen);
        }
        b.put(dict.toString().getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    /** The descriptor of {@code dtype} for data in this machine's byte order. */
    private static String descr(DType dtype) {
        String d = dtype.numpyDescr();
        if (dtype.byteSize() > 1 && ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN) {
            return ">" + d.substring(1);
        }
        return d;
    }

    static void writeData(WritableByteChannel ch, MemorySegment seg) throws IOException {
        for (long pos = 0; pos < seg.byteSize(); pos += CHUNK) {
            writeFully(ch, seg.asSlice(pos, Math.min(CHUNK, seg.byteSize() - pos)).asByteBuffer());
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void writeFully(WritableByteChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Reads until {@code b} is full or the input ends; returns the bytes read. */
    private static int readFully(ReadableByteChannel ch, ByteBuffer b) throws IOException {
        int total = 0;
        while (b.hasRemaining()) {
            int n = ch.read(b);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private static long readFully(ReadableByteChannel ch, MemorySegment seg) throws IOException {
        long total = 0;
        for (long pos = 0; pos < seg.byteSize(); pos += CHUNK) {
            ByteBuffer b = seg.asSlice(pos, Math.min(CHUNK, seg.byteSize() - pos)).asByteBuffer();
            int n = readFully(ch, b);
            total += n;
            if (b.hasRemaining()) {
                break;
            }
        }
        return total;
    }

    private static void swapBytes(MemorySegment seg, int size) {
        long n = seg.byteSize() / size;
        switch (size) {
            case 4 -> {
                for (long i = 0; i < n; i++) {
                    seg.setAtIndex(ValueLayout.JAVA_INT, i, Integer.reverseBytes(seg.getAtIndex(ValueLayout.JAVA_INT, i)));
                }
            }
            case 8 -> {
                for (long i = 0; i < n; i++) {
                    seg.setAtIndex(ValueLayout.JAVA_LONG, i, Long.reverseBytes(seg.getAtIndex(ValueLayout.JAVA_LONG, i)));
                }
            }
            default -> throw new IllegalStateException("no byte swap for elements of " + size + " bytes");
        }
    }

    private static void normaliseBool(MemorySegment seg) {
        for (long i = 0; i < seg.byteSize(); i++) {
            if (seg.get(ValueLayout.JAVA_BYTE, i) != 0) {
                seg.set(ValueLayout.JAVA_BYTE, i, (byte) 1);
            }
        }
    }

    /**
     * Copies a column-major array of {@code shape} in {@code src} to row-major order in {@code dst}.
     * Walks {@code dst} sequentially with an odometer over the index; the source offset of index
     * {@code (i0, …, ik)} is {@code sum(ij * prod(shape[0..j)))}.
     */
    private static void fortranToC(MemorySegment src, MemorySegment dst, long[] shape, int size) {
        int rank = shape.length;
        long n = Shapes.numel(shape);
        if (n == 0) {
            return;
        }
        long[] fstride = new long[rank];
        long s = 1;
        for (int i = 0; i < rank; i++) {
            fstride[i] = s;
            s *= shape[i];
        }
        long[] idx = new long[rank];
        long inner = shape[rank - 1];
        long innerStride = fstride[rank - 1];
        long srcBase = 0;
        for (long d = 0; d < n; d += inner) {
            for (long j = 0; j < inner; j++) {
                long from = srcBase + j * innerStride;
                switch (size) {
                    case 1 -> dst.set(ValueLayout.JAVA_BYTE, d + j, src.get(ValueLayout.JAVA_BYTE, from));
                    case 4 -> dst.setAtIndex(ValueLayout.JAVA_INT, d + j, src.getAtIndex(ValueLayout.JAVA_INT, from));
                    default -> dst.setAtIndex(ValueLayout.JAVA_LONG, d + j, src.getAtIndex(ValueLayout.JAVA_LONG, from));
                }
            }
            for (int a = rank - 2; a >= 0; a--) { // advance the odometer over the outer axes
                idx[a]++;
                srcBase += fstride[a];
                if (idx[a] < shape[a]) {
                    break;
                }
                srcBase -= idx[a] * fstride[a];
                idx[a] = 0;
            }
        }
    }

    static void requireNonNull(Object o, String name) {
        if (o == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }

    /**
     * A parser for the subset of Python literal syntax that .npy headers use: dictionaries,
     * tuples, lists, strings, integers (an old-style {@code L} suffix allowed), True, False, None.
     */
    static final class PyLiteral {
        /** A Python tuple (distinguished from a list, which becomes a {@link List}). */
        record Tuple(List<Object> items) {}

        private final String s;
        private int pos;

        PyLiteral(String s) {
            this.s = s;
        }

        void end() {
            skipSpace();
            if (pos != s.length()) {
                throw new IllegalArgumentException("unexpected text after the dictionary at offset " + pos);
            }
        }

        Object value() {
            skipSpace();
            if (pos >= s.length()) {
                throw new IllegalArgumentException("unexpected end of header");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{': {
                    pos++;
                    Map<Object, Object> m = new LinkedHashMap<>();
                    while (!tryConsume('}')) {
                        Object k = value();
                        expect(':');
                        Object v = value();
                        if (m.put(k, v) != null) {
                            throw new IllegalArgumentException("duplicate key " + repr(k));
                        }
                        if (!tryConsume(',')) {
                            expect('}');
                            break;
                        }
                    }
                    return m;
                }
                case '(':
                case '[': {
                    pos++;
                    char close = c == '(' ? ')' : ']';
                    List<Object> items = new ArrayList<>();
                    boolean sawComma = false;
                    while (!tryConsume(close)) {
                        items.add(value());
                        sawComma = tryConsume(',');
                        if (!sawComma) {
                            expect(close);
                            break;
                        }
                    }
                    if (c == '[') {
                        return items;
                    }
                    if (items.size() == 1 && !sawComma) {
                        return items.get(0); // (x) is just x in Python
                    }
                    return new Tuple(items);
                }
                case '\'':
                case '"':
                    return string(c);
                default:
                    if (c == '-' || c == '+' || Character.isDigit(c)) {
                        return integer();
                    }
                    if (s.startsWith("True", pos)) {
                        pos += 4;
                        return Boolean.TRUE;
                    }
                    if (s.startsWith("False", pos)) {
                        pos += 5;
                        return Boolean.FALSE;
                    }
                    if (s.startsWith("None", pos)) {
                        pos += 4;
                        return null;
                    }
                    throw new IllegalArgumentException("unexpected '" + c + "' at offset " + pos);
            }
        }

        private String string(char quote) {
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw new IllegalArgumentException("unterminated string");
                }
                char c = s.charAt(pos++);
                if (c == quote) {
                    return sb.toString();
                }
                if (c == '\\' && pos < s.length()) {
                    char e = s.charAt(pos++);
                    sb.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        default -> e;
                    });
                } else {
                    sb.append(c);
                }
            }
        }

        private Long integer() {
            int start = pos;
            if (s.charAt(pos) == '-' || s.charAt(pos) == '+') {
                pos++;
            }
            int digits = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (pos == digits) {
                throw new IllegalArgumentException("expected a number at offset " + start);
            }
            String text = s.substring(start, pos);
            if (pos < s.length() && (s.charAt(pos) == 'L' || s.charAt(pos) == 'l')) {
                pos++;
            }
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("integer " + text + " is out of range");
            }
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private boolean tryConsume(char c) {
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!tryConsume(c)) {
                throw new IllegalArgumentException("expected '" + c + "' at offset " + pos);
            }
        }

        /** Python-like text of a parsed value, for messages. */
        static String repr(Object v) {
            if (v == null) {
                return "None";
            }
            if (v instanceof String str) {
                return "'" + str + "'";
            }
            if (v instanceof Boolean b) {
                return b ? "True" : "False";
            }
            if (v instanceof Tuple t) {
                StringBuilder sb = new StringBuilder("(");
                for (int i = 0; i < t.items().size(); i++) {
                    sb.append(i > 0 ? ", " : "").append(repr(t.items().get(i)));
                }
                return sb.append(t.items().size() == 1 ? ",)" : ")").toString();
            }
            if (v instanceof List<?> l) {
                StringBuilder sb = new StringBuilder("[");
                for (int i = 0; i < l.size(); i++) {
                    sb.append(i > 0 ? ", " : "").append(repr(l.get(i)));
                }
                return sb.append(']').toString();
            }
            if (v instanceof Map<?, ?> m) {
                StringBuilder sb = new StringBuilder("{");
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    sb.append(first ? "" : ", ").append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
                    first = false;
                }
                return sb.append('}').toString();
            }
            return String.valueOf(v);
        }
    }
}
