package dev.batchwise.ragged;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.batchwise.cpu.CpuPool;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * CPU implementation of {@link RaggedKernels}: plain loops over off-heap memory, parallel across
 * samples on {@link CpuPool} once a batch holds enough work to pay for the hand-off (a few
 * microseconds of work per thread, since the pool's spinning lane hands a loop over in well under
 * a microsecond). Index values
 * and sample sizes are checked in a sequential pass before any output is written, so errors are
 * thrown on the calling thread with their full message.
 */
final class CpuRaggedKernels implements RaggedKernels {
    static final CpuRaggedKernels INSTANCE = new CpuRaggedKernels();

    /**
     * Element operations per task below which splitting across threads costs more than it saves.
     * Handing a loop to the fork/join pool costs 12-24 µs, about what 2^18 simple element copies
     * take, and that was this value; through {@link CpuPool}'s spinning lane the hand-off costs
     * well under a microsecond. Measured on 2 cores with the W1 ragged benches (two runs each):
     * with 2^18 the W1 write (1.2 MB of copies) took 78-79 µs and the W1 access 11.9-12.4 µs, both
     * on the calling thread; with 2^14 they split, 24-29 µs and 8.5-10 µs (the write gains more
     * than 2x: each core's half of the output stays in its own L2); with 2^13 the write took 27-35
     * µs (12 chunks of 4 samples) and with 2^12 31-38 µs.
     */
    private static final long WORK_PER_TASK = 1 << 14;

    /**
     * Total work from which a loop goes to the fork/join pool ({@link CpuPool#parallelFor}): its
     * 12-24 µs hand-off is then small against the loop, and the loop does not depend on the lane
     * being free. Smaller loops take the lane ({@link CpuPool#parallelForShort}), or run on the
     * calling thread when another thread's loop holds it.
     */
    private static final long FORK_JOIN_WORK = 1 << 18;

    private CpuRaggedKernels() {}

    // ------------------------------------------------------------------ raw element helpers

    static long readIndex(MemorySegment seg, DType t, long i) {
        return t == DType.INT32 ? seg.getAtIndex(JAVA_INT, i) : seg.getAtIndex(JAVA_LONG, i);
    }

    static void writeBits(MemorySegment seg, int esz, long i, long bits) {
        switch (esz) {
            case 1 -> seg.set(JAVA_BYTE, i, (byte) bits);
            case 4 -> seg.setAtIndex(JAVA_INT, i, (int) bits);
            default -> seg.setAtIndex(JAVA_LONG, i, bits);
        }
    }

    static void fillBits(MemorySegment seg, int esz, long from, long count, long bits) {
        if (count <= 0) {
            return;
        }
        if (bits == 0) {
            HostBytes.zero(seg, from * esz, count * esz);
            return;
        }
        switch (esz) {
            case 1 -> seg.asSlice(from, count).fill((byte) bits);
            case 4 -> {
                int v = (int) bits;
                for (long i = from, end = from + count; i < end; i++) {
                    seg.setAtIndex(JAVA_INT, i, v);
                }
            }
            default -> {
                for (long i = from, end = from + count; i < end; i++) {
                    seg.setAtIndex(JAVA_LONG, i, bits);
                }
            }
        }
    }

    static void copyElems(MemorySegment src, long si, MemorySegment dst, long di, long count, int esz) {
        HostBytes.copy(src, si * esz, dst, di * esz, count * esz);
    }

    private static void addElems(MemorySegment src, long si, MemorySegment dst, long di, long count, DType t) {
        for (long k = 0; k < count; k++) {
            switch (t) {
                case FLOAT32 -> dst.setAtIndex(JAVA_FLOAT, di + k,
                        dst.getAtIndex(JAVA_FLOAT, di + k) + src.getAtIndex(JAVA_FLOAT, si + k));
                case FLOAT64 -> dst.setAtIndex(JAVA_DOUBLE, di + k,
                        dst.getAtIndex(JAVA_DOUBLE, di + k) + src.getAtIndex(JAVA_DOUBLE, si + k));
                case INT32 -> dst.setAtIndex(JAVA_INT, di + k,
                        dst.getAtIndex(JAVA_INT, di + k) + src.getAtIndex(JAVA_INT, si + k));
                case INT64 -> dst.setAtIndex(JAVA_LONG, di + k,
                        dst.getAtIndex(JAVA_LONG, di + k) + src.getAtIndex(JAVA_LONG, si + k));
                default -> throw new IllegalArgumentException("cannot accumulate dtype " + t);
            }
        }
    }

    private static double readDouble(MemorySegment seg, DType t, long i) {
        return switch (t) {
            case FLOAT32 -> seg.getAtIndex(JAVA_FLOAT, i);
            case FLOAT64 -> seg.getAtIndex(JAVA_DOUBLE, i);
            case INT32 -> seg.getAtIndex(JAVA_INT, i);
            case INT64 -> seg.getAtIndex(JAVA_LONG, i);
            default -> throw new IllegalArgumentException("not a numeric dtype: " + t);
        };
    }

    private static void writeDouble(MemorySegment seg, DType t, long i, double v) {
        switch (t) {
            case FLOAT32 -> seg.setAtIndex(JAVA_FLOAT, i, (float) v);
            case FLOAT64 -> seg.setAtIndex(JAVA_DOUBLE, i, v);
            case INT32 -> seg.setAtIndex(JAVA_INT, i, (int) v);
            case INT64 -> seg.setAtIndex(JAVA_LONG, i, (long) v);
            default -> throw new IllegalArgumentException("not a numeric dtype: " + t);
        }
    }

    /**
     * Bytes a bulk copy or fill moves in the time of one element operation of
     * {@link #WORK_PER_TASK}: the JVM's copy stub moves a cache line in a few cycles, where an
     * element loop spends a few cycles per element. (Measured on 2 cores before the pool had its
     * spinning lane: W1's write, 1.2 MB of copies in 25 KB pieces, ran at 94-104 µs split over the
     * fork/join pool and at 71 µs on the calling thread; see {@link #WORK_PER_TASK} for now.)
     */
    private static final long BULK_BYTES_PER_OP = 16;

    /** The {@link #forEach} work of moving {@code bytes} bytes in bulk. */
    private static long bulkWork(long bytes) {
        return bytes / BULK_BYTES_PER_OP;
    }

    /**
     * Runs {@code body} for every item, in parallel when the total work is large enough. A loop of
     * fewer than 4 chunks per thread is cut into a whole number of chunks per thread (fewer,
     * larger chunks), so that no thread is left with one chunk more than another: with 2^14 work
     * per task the W1 access had 3 chunks of 16 samples on 2 cores and took 10-12.6 µs, with 2
     * chunks of 24 it takes 8.5-8.6 µs.
     */
    private static void forEach(long items, long workPerItem, IntConsumer body) {
        if (items > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many samples for the CPU backend: " + items);
        }
        long per = Math.max(1, workPerItem);
        long grain = Math.max(1, WORK_PER_TASK / per);
        int threads = CpuPool.parallelism();
        long chunks = (items + grain - 1) / grain;
        if (chunks > threads && chunks < 4L * threads) {
            chunks = chunks / threads * threads;
            grain = (items + chunks - 1) / chunks;
        }
        int g = (int) Math.min(Integer.MAX_VALUE, grain);
        if (items >= FORK_JOIN_WORK / per) {
            CpuPool.parallelFor((int) items, g, body);
        } else {
            CpuPool.parallelForShort((int) items, g, body);
        }
    }

    // ------------------------------------------------------------------ validation

    /** Reads and checks every size: {@code 0 <= sizes[s] <= limit}. */
    static long[] checkedSizes(Tensor sizes, long samples, long limit) {
        MemorySegment seg = sizes.cpuSegment();
        long[] out = new long[Math.toIntExact(samples)];
        for (int s = 0; s < out.length; s++) {
            long v = seg.getAtIndex(JAVA_LONG, s);
            if (v < 0 || v > limit) {
                throw RaggedErrors.badSize(s, v, limit);
            }
            out[s] = v;
        }
        return out;
    }

    /** Checks every valid index of {@code idx} against {@code extent} (negative wrap once). */
    static void checkIndices(Tensor idx, long[] sizes, long width, long extent) {
        MemorySegment seg = idx.cpuSegment();
        DType t = idx.dtype();
        for (int s = 0; s < sizes.length; s++) {
            for (long j = 0; j < sizes[s]; j++) {
                long v = readIndex(seg, t, s * width + j);
                long w = v < 0 ? v + extent : v;
                if (w < 0 || w >= extent) {
                    throw RaggedErrors.badIndex(s, j, v, extent);
                }
            }
        }
    }

    private static long wrapped(MemorySegment seg, DType t, long i, long extent) {
        long v = readIndex(seg, t, i);
        return v < 0 ? v + extent : v;
    }

    // ------------------------------------------------------------------ kernels

    @Override
    public void fillByValidity(Tensor out, Tensor sizes, Layout l, long validBits, long fillerBits) {
        long[] n = checkedSizes(sizes, l.samples(), l.extent());
        MemorySegment o = out.cpuSegment();
        int esz = out.dtype().byteSize();
        forEach(l.samples(), l.sampleStride(), s -> {
            for (long p = 0; p < l.pre(); p++) {
                long base = l.index(s, p, 0, 0);
                long valid = n[s] * l.post();
                fillBits(o, esz, base, valid, validBits);
                fillBits(o, esz, base + valid, (l.extent() - n[s]) * l.post(), fillerBits);
            }
        });
    }

    @Override
    public void setPadded(Tensor data, Tensor sizes, Layout l, long valueBits) {
        long[] n = checkedSizes(sizes, l.samples(), l.extent());
        MemorySegment o = data.cpuSegment();
        int esz = data.dtype().byteSize();
        forEach(l.samples(), l.sampleStride(), s -> {
            for (long p = 0; p < l.pre(); p++) {
                fillBits(o, esz, l.index(s, p, n[s], 0), (l.extent() - n[s]) * l.post(), valueBits);
            }
        });
    }

    @Override
    public void sizesFromMask(Tensor mask, long samples, long n, Tensor sizesOut) {
        countTrue(mask, samples, n, null, sizesOut);
    }

    @Override
    public void gather(Tensor data, Layout dl, Tensor idx, Tensor sizes, long width, Tensor out, long fillerBits) {
        long[] n = checkedSizes(sizes, dl.samples(), width);
        checkIndices(idx, n, width, dl.extent());
        MemorySegment d = data.cpuSegment();
        MemorySegment ix = idx.cpuSegment();
        MemorySegment o = out.cpuSegment();
        DType it = idx.dtype();
        int esz = data.dtype().byteSize();
        Layout ol = dl.withExtent(width);
        forEach(dl.samples(), ol.sampleStride(), s -> {
            for (long p = 0; p < dl.pre(); p++) {
                for (long j = 0; j < n[s]; j++) {
                    long src = wrapped(ix, it, s * width + j, dl.extent());
                    copyElems(d, dl.index(s, p, src, 0), o, ol.index(s, p, j, 0), dl.post(), esz);
                }
                fillBits(o, esz, ol.index(s, p, n[s], 0), (width - n[s]) * dl.post(), fillerBits);
            }
        });
    }

    @Override
    public void mapCopy(Tensor src, Layout sl, Tensor srcIdx, Tensor dst, Layout dl, Tensor dstIdx, Tensor sizes,
                        long width, boolean add) {
        long[] n = checkedMapping(sl, srcIdx, dl, dstIdx, sizes, width);
        MemorySegment dg = dst.cpuSegment();
        forEach(sl.samples(), width * sl.pre() * sl.post(),
                s -> mapSample(s, n[s], src, sl, srcIdx, dg, dl, dstIdx, width, add));
    }

    /** The sizes, after checking them and every valid index of a mapping (before any output is written). */
    private static long[] checkedMapping(Layout sl, Tensor srcIdx, Layout dl, Tensor dstIdx, Tensor sizes,
                                         long width) {
        long[] n = checkedSizes(sizes, sl.samples(), width);
        if (srcIdx == null) {
            checkSizesFit(n, sl.extent(), "source");
        } else {
            checkIndices(srcIdx, n, width, sl.extent());
        }
        if (dstIdx == null) {
            checkSizesFit(n, dl.extent(), "destination");
        } else {
            checkIndices(dstIdx, n, width, dl.extent());
        }
        return n;
    }

    /**
     * The entries {@code j < n} of sample {@code s} of a checked mapping. Everything the row loop
     * needs is hoisted into locals so that the JIT keeps it in registers: this loop is most of an
     * indexing write or access (each row is one {@link HostBytes#copy}).
     */
    private static void mapSample(int s, long n, Tensor src, Layout sl, Tensor srcIdx, MemorySegment dg, Layout dl,
                                  Tensor dstIdx, long width, boolean add) {
        MemorySegment sg = src.cpuSegment();
        MemorySegment si = srcIdx == null ? null : srcIdx.cpuSegment();
        MemorySegment di = dstIdx == null ? null : dstIdx.cpuSegment();
        boolean si32 = srcIdx != null && srcIdx.dtype() == DType.INT32;
        boolean di32 = dstIdx != null && dstIdx.dtype() == DType.INT32;
        DType vt = src.dtype();
        int esz = vt.byteSize();
        long pre = sl.pre();
        long post = sl.post();
        long rowBytes = post * esz;
        long srcExtent = sl.extent();
        long dstExtent = dl.extent();
        long srcSample = s * pre * srcExtent; // row index of (s, 0, 0)
        long dstSample = s * pre * dstExtent;
        long idxBase = s * width;
        if (!add && pre == 1) {
            copyRows(sg, srcSample, si, si32, srcExtent, dg, dstSample, di, di32, dstExtent, idxBase, n, rowBytes);
            return;
        }
        for (long j = 0; j < n; j++) {
            long from = si == null ? j : wrap(si32 ? si.getAtIndex(JAVA_INT, idxBase + j)
                    : si.getAtIndex(JAVA_LONG, idxBase + j), srcExtent);
            long to = di == null ? j : wrap(di32 ? di.getAtIndex(JAVA_INT, idxBase + j)
                    : di.getAtIndex(JAVA_LONG, idxBase + j), dstExtent);
            for (long p = 0; p < pre; p++) {
                long srcRow = srcSample + p * srcExtent + from;
                long dstRow = dstSample + p * dstExtent + to;
                if (add) {
                    addElems(sg, srcRow * post, dg, dstRow * post, post, vt);
                } else {
                    HostBytes.copy(sg, srcRow * rowBytes, dg, dstRow * rowBytes, rowBytes);
                }
            }
        }
    }

    /** {@link #mapSample} without accumulation for {@code pre == 1}: one row copy per entry. */
    private static void copyRows(MemorySegment sg, long srcSample, MemorySegment si, boolean si32, long srcExtent,
                                 MemorySegment dg, long dstSample, MemorySegment di, boolean di32, long dstExtent,
                                 long idxBase, long n, long rowBytes) {
        for (long j = 0; j < n; j++) {
            long from = si == null ? j : wrap(si32 ? si.getAtIndex(JAVA_INT, idxBase + j)
                    : si.getAtIndex(JAVA_LONG, idxBase + j), srcExtent);
            long to = di == null ? j : wrap(di32 ? di.getAtIndex(JAVA_INT, idxBase + j)
                    : di.getAtIndex(JAVA_LONG, idxBase + j), dstExtent);
            HostBytes.copy(sg, (srcSample + from) * rowBytes, dg, (dstSample + to) * rowBytes, rowBytes);
        }
    }

    /** A checked index with negative values counted from the end. */
    private static long wrap(long v, long extent) {
        return v < 0 ? v + extent : v;
    }

    /** Sample by sample: the sample's slice of {@code base}, then its entries, while the slice is in cache. */
    @Override
    public void mapCopyOnto(Tensor src, Layout sl, Tensor srcIdx, Tensor base, Tensor dst, Layout dl, Tensor dstIdx,
                            Tensor sizes, long width) {
        long[] n = checkedMapping(sl, srcIdx, dl, dstIdx, sizes, width);
        MemorySegment bg = base.cpuSegment();
        MemorySegment dg = dst.cpuSegment();
        long stride = dl.sampleStride() * dst.dtype().byteSize();
        forEach(dl.samples(), bulkWork(stride) + width * sl.pre(), s -> {
            MemorySegment.copy(bg, s * stride, dg, s * stride, stride);
            mapSample(s, n[s], src, sl, srcIdx, dg, dl, dstIdx, width, false);
        });
    }

    private static void checkSizesFit(long[] n, long extent, String what) {
        for (int s = 0; s < n.length; s++) {
            if (n[s] > extent) {
                throw new IllegalArgumentException("sample " + s + " has " + n[s] + " valid entries but the "
                        + what + " data holds only " + extent + " along its entry axis");
            }
        }
    }

    @Override
    public void setAtIndices(Tensor dst, Layout dl, Tensor idx, Tensor sizes, long width, long valueBits) {
        long[] n = checkedSizes(sizes, dl.samples(), width);
        checkIndices(idx, n, width, dl.extent());
        MemorySegment o = dst.cpuSegment();
        MemorySegment ix = idx.cpuSegment();
        DType it = idx.dtype();
        int esz = dst.dtype().byteSize();
        forEach(dl.samples(), width * dl.pre() * dl.post(), s -> {
            for (long j = 0; j < n[s]; j++) {
                long to = wrapped(ix, it, s * width + j, dl.extent());
                for (long p = 0; p < dl.pre(); p++) {
                    fillBits(o, esz, dl.index(s, p, to, 0), dl.post(), valueBits);
                }
            }
        });
    }

    @Override
    public void countTrue(Tensor mask, long samples, long n, Tensor limits, Tensor countsOut) {
        long[] lim = limits == null ? null : checkedSizes(limits, samples, n);
        MemorySegment m = mask.cpuSegment();
        MemorySegment c = countsOut.cpuSegment();
        forEach(samples, n, s -> {
            long end = lim == null ? n : lim[s];
            long count = 0;
            for (long j = 0; j < end; j++) {
                count += m.get(JAVA_BYTE, s * n + j) != 0 ? 1 : 0;
            }
            c.setAtIndex(JAVA_LONG, s, count);
        });
    }

    @Override
    public void compactIndices(Tensor mask, long samples, long n, Tensor limits, Tensor out, long width) {
        long[] lim = limits == null ? null : checkedSizes(limits, samples, n);
        MemorySegment m = mask.cpuSegment();
        MemorySegment o = out.cpuSegment();
        forEach(samples, n, s -> {
            long end = lim == null ? n : lim[s];
            long k = 0;
            for (long j = 0; j < end; j++) {
                if (m.get(JAVA_BYTE, s * n + j) != 0) {
                    o.setAtIndex(JAVA_LONG, s * width + k++, j);
                }
            }
            for (; k < width; k++) {
                o.setAtIndex(JAVA_LONG, s * width + k, 0L);
            }
        });
    }

    @Override
    public void reduceOverTargets(Tensor data, Layout l, Tensor sizes, Tensor out, boolean average,
                                  boolean nansToZero) {
        long[] n = checkedSizes(sizes, l.samples(), l.extent());
        MemorySegment d = data.cpuSegment();
        MemorySegment o = out.cpuSegment();
        DType t = data.dtype();
        boolean integer = !t.isFloatingPoint();
        forEach(l.samples(), l.sampleStride(), s -> {
            for (long p = 0; p < l.pre(); p++) {
                for (long q = 0; q < l.post(); q++) {
                    long oi = (s * l.pre() + p) * l.post() + q;
                    if (integer) {
                        long acc = 0;
                        for (long j = 0; j < n[s]; j++) {
                            acc += t == DType.INT32 ? d.getAtIndex(JAVA_INT, l.index(s, p, j, q))
                                    : d.getAtIndex(JAVA_LONG, l.index(s, p, j, q));
                        }
                        if (t == DType.INT32) {
                            o.setAtIndex(JAVA_INT, oi, (int) acc);
                        } else {
                            o.setAtIndex(JAVA_LONG, oi, acc);
                        }
                        continue;
                    }
                    double acc = 0;
                    for (long j = 0; j < n[s]; j++) {
                        acc += readDouble(d, t, l.index(s, p, j, q));
                    }
                    double r = average ? reduceAverage(acc, n[s], t) : acc;
                    if (nansToZero && !Double.isFinite(t == DType.FLOAT32 ? (float) r : r)) {
                        r = 0;
                    }
                    writeDouble(o, t, oi, r);
                }
            }
        });
    }

    /** The mean as the result dtype sees it: float32 data divides in float32 after rounding the sum. */
    private static double reduceAverage(double sum, long count, DType t) {
        if (t == DType.FLOAT32) {
            return (float) sum / (float) count;
        }
        return sum / count;
    }

    @Override
    public void broadcastOverTargets(Tensor grad, Layout l, Tensor sizes, Tensor out, boolean average,
                                     Tensor forward) {
        long[] n = checkedSizes(sizes, l.samples(), l.extent());
        MemorySegment g = grad.cpuSegment();
        MemorySegment f = forward == null ? null : forward.cpuSegment();
        MemorySegment o = out.cpuSegment();
        DType t = grad.dtype();
        forEach(l.samples(), l.sampleStride(), s -> {
            for (long p = 0; p < l.pre(); p++) {
                for (long q = 0; q < l.post(); q++) {
                    long gi = (s * l.pre() + p) * l.post() + q;
                    double v = readDouble(g, t, gi);
                    if (average) {
                        v = t == DType.FLOAT32 ? (float) v / (float) n[s] : v / n[s];
                    }
                    if (f != null && !Double.isFinite(readDouble(f, forward.dtype(), gi))) {
                        v = 0;
                    }
                    for (long j = 0; j < l.extent(); j++) {
                        writeDouble(o, t, l.index(s, p, j, q), j < n[s] ? v : 0);
                    }
                }
            }
        });
    }

    @Override
    public void applyMask(Tensor data, Tensor mask, long inner, Tensor out, long valueBits) {
        MemorySegment d = data.cpuSegment();
        MemorySegment m = mask.cpuSegment();
        MemorySegment o = out.cpuSegment();
        int esz = data.dtype().byteSize();
        long rows = mask.numel();
        forEach(rows, inner, r -> {
            if (m.get(JAVA_BYTE, r) != 0) {
                copyElems(d, r * inner, o, r * inner, inner, esz);
            } else {
                fillBits(o, esz, r * inner, inner, valueBits);
            }
        });
    }

    @Override
    public void stridedCopy(Tensor src, long[] srcExtent, long[] srcStride, Tensor out, long[] outShape) {
        MemorySegment sg = src.cpuSegment();
        MemorySegment o = out.cpuSegment();
        int esz = src.dtype().byteSize();
        int rank = outShape.length;
        long total = out.numel();
        if (total == 0) {
            return;
        }
        long[] pos = new long[rank];
        for (long i = 0; i < total; i++) {
            long off = 0;
            for (int k = 0; k < rank; k++) {
                off += (pos[k] % srcExtent[k]) * srcStride[k];
            }
            copyElems(sg, off, o, i, 1, esz);
            for (int k = rank - 1; k >= 0; k--) {
                if (++pos[k] < outShape[k]) {
                    break;
                }
                pos[k] = 0;
            }
        }
    }

    /**
     * Output bytes per thread below which {@link #combine} does not split its rows: each part must
     * take long enough to pay for the lane's hand-off (the helper starts about 0.25 µs after the
     * caller, and the caller waits about as long for it to finish). Measured on 2 cores with the
     * W1 shapes (rows of 80 x 10 floats, 2,000 calls per point): 75 KB in all gained nothing,
     * 95 KB broke even, 100 KB gained 0.2-0.4 µs, 120 KB 0.5 µs and the W1 batch's 150 KB 0.8 µs
     * (4.5 µs on one core, 3.7 µs split, the whole combine).
     */
    private static final long COMBINE_BYTES_PER_THREAD = 48 << 10;

    /**
     * Output bytes from which a {@link #combine} goes to the fork/join pool, whose 12-24 µs
     * hand-off is then small against the copy (a single core writes 1 MiB in about 25 µs); smaller
     * ones take the lane, or run on the calling thread when another thread's loop holds it.
     */
    private static final long COMBINE_FORK_JOIN_BYTES = 1 << 20;

    /**
     * Each output row is written once: its sample, then zeros. Rows are split into one contiguous
     * part per thread once the output is large enough (see {@link #COMBINE_BYTES_PER_THREAD}); the
     * caller always writes the first part, so repeated combines write each row from the same core.
     * The padding is zeroed with {@link HostBytes#zero}; rows are at most a few KB, where its
     * copy from a block of zeros is as fast as libc {@code memset} (measured on the W1 batch: 3.8
     * µs either way on one core).
     */
    @Override
    public void combine(List<Tensor> samples, long[] sizes, Tensor out, long width, long post, Tensor sizesOut) {
        MemorySegment o = out.cpuSegment();
        int esz = out.dtype().byteSize();
        long rowBytes = width * post * esz;
        int rows = samples.size();
        IntConsumer row = i -> {
            long valid = sizes[i] * post * esz;
            if (valid > 0) {
                HostBytes.copy(samples.get(i).cpuSegment(), 0, o, i * rowBytes, valid);
            }
            HostBytes.zero(o, i * rowBytes + valid, rowBytes - valid);
        };
        long total = rows * rowBytes;
        long parts = Math.min(Math.min(CpuPool.parallelism(), rows), total / COMBINE_BYTES_PER_THREAD);
        if (parts <= 1) {
            for (int i = 0; i < rows; i++) {
                row.accept(i);
            }
        } else {
            int grain = (int) ((rows + parts - 1) / parts);
            if (total >= COMBINE_FORK_JOIN_BYTES) {
                CpuPool.parallelFor(rows, grain, row);
            } else {
                CpuPool.parallelForShort(rows, grain, row);
            }
        }
        if (sizesOut != null) {
            MemorySegment.copy(sizes, 0, sizesOut.cpuSegment(), JAVA_LONG, 0, sizes.length);
        }
    }
}
