package dev.batchwise.ragged;

import dev.batchwise.cuda.CudaKernel;
import dev.batchwise.cuda.CudaMemory;
import dev.batchwise.cuda.CudaModule;
import dev.batchwise.cuda.CudaStream;
import dev.batchwise.cuda.DeviceErrorFlag;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;
import java.util.List;

/**
 * CUDA implementation of {@link RaggedKernels}: one launch of a kernel of {@code ragged.cu} per
 * primitive, enqueued on the device's current stream, never synchronising. Sample sizes and
 * indices are read on the device; invalid ones are reported through a {@link DeviceErrorFlag}
 * attached to the primitive's output, so reading that output on the host throws
 * ({@link IndexOutOfBoundsException} for indices, {@link IllegalArgumentException} for sizes).
 */
final class CudaRaggedKernels implements RaggedKernels {
    static final CudaRaggedKernels INSTANCE = new CudaRaggedKernels();

    private static final int BLOCK = 256;
    /** Grid-stride kernels: enough blocks to fill any current GPU, never more than needed. */
    private static final long MAX_BLOCKS = 65_535;
    private static final int WARP = 32;

    private CudaRaggedKernels() {}

    private static int blocks(long threads) {
        return (int) Math.max(1, Math.min(MAX_BLOCKS, (threads + BLOCK - 1) / BLOCK));
    }

    private static long ptr(Tensor t) {
        return t == null ? 0L : t.devicePointer();
    }

    /** Samples per launch of combine's large by-value table ({@code CombineTable<240>} in ragged.cu). */
    static final int COMBINE_TABLE = 240;
    /** Samples of the small table ({@code CombineTable<64>}: 1 KiB of parameters, cheaper to launch). */
    static final int COMBINE_TABLE_SMALL = 64;
    /** Largest rank whose shapes and strides travel by value ({@code StridedMeta} in ragged.cu). */
    static final int STRIDED_MAX_RANK = 16;
    /** Destination elements each block of {@code ragged_map_copy_onto} copies (rounded to whole entries). */
    static final long ONTO_ELEMENTS_PER_BLOCK = 2048;

    // the entry points of ragged.cu, by family (names built once, see RaggedKernelNames)
    private static final RaggedKernelNames FILL_BY_VALIDITY = RaggedKernelNames.byElement("ragged_fill_by_validity");
    private static final RaggedKernelNames SET_PADDED = RaggedKernelNames.byElement("ragged_set_padded");
    private static final RaggedKernelNames APPLY_MASK = RaggedKernelNames.byElement("ragged_apply_mask");
    private static final RaggedKernelNames STRIDED_COPY = RaggedKernelNames.byElement("ragged_strided_copy");
    private static final RaggedKernelNames STRIDED_COPY_BY_VALUE = RaggedKernelNames.byElement("ragged_strided_copy_v");
    private static final RaggedKernelNames COMBINE = RaggedKernelNames.byElement("ragged_combine" + COMBINE_TABLE);
    private static final RaggedKernelNames COMBINE_SMALL = RaggedKernelNames.byElement("ragged_combine" + COMBINE_TABLE_SMALL);
    private static final RaggedKernelNames GATHER = RaggedKernelNames.byElementAndIndex("ragged_gather");
    private static final RaggedKernelNames MAP_COPY = RaggedKernelNames.byElementAndIndex("ragged_map_copy");
    private static final RaggedKernelNames MAP_COPY_ONTO = RaggedKernelNames.byElementAndIndex("ragged_map_copy_onto");
    private static final RaggedKernelNames SET_AT_INDICES = RaggedKernelNames.byElementAndIndex("ragged_set_at_indices");
    private static final RaggedKernelNames MAP_ADD = RaggedKernelNames.byNumberAndIndex("ragged_map_add");
    private static final RaggedKernelNames REDUCE = RaggedKernelNames.byNumber("ragged_reduce");
    private static final RaggedKernelNames BROADCAST = RaggedKernelNames.byNumber("ragged_broadcast");
    private static final RaggedKernelNames COUNT_TRUE = RaggedKernelNames.single("ragged_count_true");
    private static final RaggedKernelNames COMPACT_INDICES = RaggedKernelNames.single("ragged_compact_indices");

    /** Per-thread word buffer for by-value tables (the launch copies it). */
    private static final ThreadLocal<long[]> WORDS = ThreadLocal.withInitial(() -> new long[2 + 2 * COMBINE_TABLE]);

    /** A flag zero on {@code stream} for the next launch (see {@link DeviceErrorFlag#create}). */
    private static DeviceErrorFlag flag(CudaStream stream) {
        return DeviceErrorFlag.create(stream);
    }

    @Override
    public void fillByValidity(Tensor out, Tensor sizes, Layout l, long validBits, long fillerBits) {
        long n = l.numel();
        if (n == 0) {
            return;
        }
        CudaStream s = CudaStream.current(out.device());
        DeviceErrorFlag f = flag(s);
        FILL_BY_VALIDITY.on(out.device(), out.dtype()).launch(s).block(BLOCK).grid(blocks(n))
                .ptr(out).ptr(sizes).i64(l.samples()).i64(l.pre()).i64(l.extent()).i64(l.post())
                .i64(validBits).i64(fillerBits).ptr(f.pointer()).run();
        f.attachTo("ragged fillByValidity", out);
    }

    @Override
    public void setPadded(Tensor data, Tensor sizes, Layout l, long valueBits) {
        long n = l.numel();
        if (n == 0) {
            return;
        }
        CudaStream s = CudaStream.current(data.device());
        DeviceErrorFlag f = flag(s);
        SET_PADDED.on(data.device(), data.dtype()).launch(s).block(BLOCK).grid(blocks(n))
                .ptr(data).ptr(sizes).i64(l.samples()).i64(l.pre()).i64(l.extent()).i64(l.post())
                .i64(valueBits).ptr(f.pointer()).run();
        f.attachTo("RaggedBatch.setPaddedTo", data);
    }

    @Override
    public void sizesFromMask(Tensor mask, long samples, long n, Tensor sizesOut) {
        countTrue(mask, samples, n, null, sizesOut);
    }

    @Override
    public void gather(Tensor data, Layout dl, Tensor idx, Tensor sizes, long width, Tensor out, long fillerBits) {
        long n = dl.withExtent(width).numel();
        if (n == 0) {
            return;
        }
        CudaStream s = CudaStream.current(data.device());
        DeviceErrorFlag f = flag(s);
        GATHER.on(data.device(), data.dtype(), idx.dtype()).launch(s).block(BLOCK)
                .grid(blocks(n)).ptr(data).i64(dl.samples()).i64(dl.pre()).i64(dl.extent()).i64(dl.post())
                .ptr(idx).ptr(sizes).i64(width).ptr(out).i64(fillerBits).ptr(f.pointer()).run();
        f.attachTo("RaggedOps.indexingAccess", out);
    }

    @Override
    public void mapCopy(Tensor src, Layout sl, Tensor srcIdx, Tensor dst, Layout dl, Tensor dstIdx, Tensor sizes,
                        long width, boolean add) {
        long n = sl.samples() * sl.pre() * width * sl.post();
        if (n == 0) {
            return;
        }
        Tensor anyIdx = srcIdx != null ? srcIdx : dstIdx;
        CudaStream s = CudaStream.current(src.device());
        DeviceErrorFlag f = flag(s);
        (add ? MAP_ADD : MAP_COPY).on(src.device(), src.dtype(), anyIdx.dtype()).launch(s).block(BLOCK).grid(blocks(n))
                .ptr(src).i64(sl.samples()).i64(sl.pre()).i64(sl.extent()).i64(sl.post()).ptr(ptr(srcIdx))
                .ptr(dst).i64(dl.extent()).ptr(ptr(dstIdx)).ptr(sizes).i64(width).ptr(f.pointer()).run();
        f.attachTo(add ? "ragged scatter-add" : "ragged index copy", dst);
    }

    /**
     * One launch when the samples' entries can be split among blocks cheaply (each block copies
     * {@code C} destination entries of one sample and scans that sample's valid entries for the
     * ones it owns); otherwise a copy and a second launch.
     */
    @Override
    public void mapCopyOnto(Tensor src, Layout sl, Tensor srcIdx, Tensor base, Tensor dst, Layout dl, Tensor dstIdx,
                            Tensor sizes, long width) {
        long q = Math.max(1, dl.post());
        long perBlock = Math.max(1, ONTO_ELEMENTS_PER_BLOCK / q); // C: destination entries per block
        long chunks = (dl.extent() + perBlock - 1) / perBlock;
        long blocks = dl.samples() * dl.pre() * chunks;
        // the scans repeat per block: keep them well below the copy itself
        boolean oneLaunch = dl.numel() > 0 && chunks * width <= 4 * Math.max(1, dl.extent());
        if (!oneLaunch) {
            Device d = dst.device();
            CudaMemory.copyDeviceToDeviceAsync(CudaStream.current(d), dst.devicePointer(), base.devicePointer(),
                    base.byteSize());
            mapCopy(src, sl, srcIdx, dst, dl, dstIdx, sizes, width, false);
            return;
        }
        Tensor anyIdx = srcIdx != null ? srcIdx : dstIdx;
        CudaStream s = CudaStream.current(src.device());
        DeviceErrorFlag f = flag(s);
        MAP_COPY_ONTO.on(src.device(), src.dtype(), anyIdx.dtype()).launch(s)
                .block(BLOCK).grid((int) Math.min(blocks, MAX_BLOCKS))
                .ptr(src).i64(sl.samples()).i64(sl.pre()).i64(sl.extent()).i64(sl.post()).ptr(ptr(srcIdx))
                .ptr(base).ptr(dst).i64(dl.extent()).ptr(ptr(dstIdx)).ptr(sizes).i64(width).i64(perBlock)
                .ptr(f.pointer()).run();
        f.attachTo("ragged index copy", dst);
    }

    @Override
    public void setAtIndices(Tensor dst, Layout dl, Tensor idx, Tensor sizes, long width, long valueBits) {
        long n = dl.samples() * dl.pre() * width * dl.post();
        if (n == 0) {
            return;
        }
        CudaStream s = CudaStream.current(dst.device());
        DeviceErrorFlag f = flag(s);
        SET_AT_INDICES.on(dst.device(), dst.dtype(), idx.dtype()).launch(s)
                .block(BLOCK).grid(blocks(n)).ptr(dst).i64(dl.samples()).i64(dl.pre()).i64(dl.extent())
                .i64(dl.post()).ptr(idx).ptr(sizes).i64(width).i64(valueBits).ptr(f.pointer()).run();
        f.attachTo("ragged setAtIndices", dst);
    }

    @Override
    public void countTrue(Tensor mask, long samples, long n, Tensor limits, Tensor countsOut) {
        if (samples == 0) {
            return;
        }
        CudaStream s = CudaStream.current(mask.device());
        DeviceErrorFlag f = flag(s);
        COUNT_TRUE.on(mask.device()).launch(s).block(BLOCK).grid(blocks(samples * WARP))
                .ptr(mask).i64(samples).i64(n).ptr(ptr(limits)).ptr(countsOut).ptr(f.pointer()).run();
        f.attachTo("ragged count of true mask entries", countsOut);
    }

    @Override
    public void compactIndices(Tensor mask, long samples, long n, Tensor limits, Tensor out, long width) {
        if (samples == 0) {
            return;
        }
        CudaStream s = CudaStream.current(mask.device());
        DeviceErrorFlag f = flag(s);
        COMPACT_INDICES.on(mask.device()).launch(s).block(BLOCK).grid(blocks(samples * WARP))
                .ptr(mask).i64(samples).i64(n).ptr(ptr(limits)).ptr(out).i64(width).ptr(f.pointer()).run();
        f.attachTo("RaggedOps.indicesFromMask", out);
    }

    @Override
    public void reduceOverTargets(Tensor data, Layout l, Tensor sizes, Tensor out, boolean average,
                                  boolean nansToZero) {
        long n = l.samples() * l.pre() * l.post();
        if (n == 0) {
            return;
        }
        CudaStream s = CudaStream.current(data.device());
        DeviceErrorFlag f = flag(s);
        REDUCE.on(data.device(), data.dtype()).launch(s).block(BLOCK).grid(blocks(n))
                .ptr(data).i64(l.samples()).i64(l.pre()).i64(l.extent()).i64(l.post()).ptr(sizes).ptr(out)
                .i32(average ? 1 : 0).i32(nansToZero ? 1 : 0).ptr(f.pointer()).run();
        f.attachTo(average ? "RaggedOps.averageOverTargets" : "RaggedOps.sumOverTargets", out);
    }

    @Override
    public void broadcastOverTargets(Tensor grad, Layout l, Tensor sizes, Tensor out, boolean average,
                                     Tensor forward) {
        long n = l.numel();
        if (n == 0) {
            return;
        }
        CudaStream s = CudaStream.current(grad.device());
        DeviceErrorFlag f = flag(s);
        BROADCAST.on(grad.device(), grad.dtype()).launch(s).block(BLOCK).grid(blocks(n))
                .ptr(grad).i64(l.samples()).i64(l.pre()).i64(l.extent()).i64(l.post()).ptr(sizes).ptr(out)
                .i32(average ? 1 : 0).ptr(ptr(forward)).ptr(f.pointer()).run();
        f.attachTo("ragged reduction backward", out);
    }

    @Override
    public void applyMask(Tensor data, Tensor mask, long inner, Tensor out, long valueBits) {
        long n = data.numel();
        if (n == 0) {
            return;
        }
        CudaStream s = CudaStream.current(data.device());
        APPLY_MASK.on(data.device(), data.dtype()).launch(s).block(BLOCK).grid(blocks(n))
                .ptr(data).ptr(mask).i64(inner).i64(n).ptr(out).i64(valueBits).run();
    }

    @Override
    public void stridedCopy(Tensor src, long[] srcExtent, long[] srcStride, Tensor out, long[] outShape) {
        long n = out.numel();
        if (n == 0) {
            return;
        }
        int rank = outShape.length;
        long[] meta = rank <= STRIDED_MAX_RANK ? WORDS.get() : new long[3 * rank];
        System.arraycopy(outShape, 0, meta, 0, rank);
        System.arraycopy(srcExtent, 0, meta, rank, rank);
        System.arraycopy(srcStride, 0, meta, 2 * rank, rank);
        CudaStream s = CudaStream.current(out.device());
        if (rank <= STRIDED_MAX_RANK) {
            // shapes and strides by value: no device buffer, no host-to-device copy
            STRIDED_COPY_BY_VALUE.on(out.device(), src.dtype()).launch(s).block(BLOCK)
                    .grid(blocks(n)).ptr(src).ptr(out).i64(n).i32(rank).words(meta, 3 * STRIDED_MAX_RANK).run();
            return;
        }
        Tensor m = Tensor.of(meta).to(out.device());
        STRIDED_COPY.on(out.device(), src.dtype()).launch(s).block(BLOCK).grid(blocks(n))
                .ptr(src).ptr(out).i64(n).i32(rank).ptr(m).run();
        m.close(); // freed in stream order, after the kernel has read it
    }

    /**
     * One launch per {@value #COMBINE_TABLE} samples (per {@value #COMBINE_TABLE_SMALL} with the
     * smaller table, when that suffices), their pointers and sizes passed by value: no zero fill,
     * no host-to-device copy, no device buffer.
     */
    @Override
    public void combine(List<Tensor> samples, long[] sizes, Tensor out, long width, long post, Tensor sizesOut) {
        if (samples.isEmpty()) {
            return;
        }
        Device d = out.device();
        CudaStream s = CudaStream.current(d);
        int table = samples.size() <= COMBINE_TABLE_SMALL ? COMBINE_TABLE_SMALL : COMBINE_TABLE;
        CudaKernel k = (table == COMBINE_TABLE_SMALL ? COMBINE_SMALL : COMBINE).on(d, out.dtype());
        long[] words = WORDS.get();
        long rows = width * post;
        for (int first = 0; first < samples.size(); first += table) {
            int count = Math.min(table, samples.size() - first);
            words[0] = first;
            words[1] = count;
            for (int i = 0; i < count; i++) {
                long size = sizes[first + i];
                words[2 + i] = size > 0 ? samples.get(first + i).devicePointer() : 0L;
                words[2 + table + i] = size;
            }
            long n = count * Math.max(1, rows); // rows == 0: still one thread per sample for the sizes
            k.launch(s).block(BLOCK).grid(blocks(n)).words(words, 2 + 2 * table).i64(width).i64(post)
                    .ptr(ptr(out)).ptr(ptr(sizesOut)).run();
        }
    }
}
