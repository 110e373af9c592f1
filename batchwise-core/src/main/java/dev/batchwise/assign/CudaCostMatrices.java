package dev.batchwise.assign;

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
 * CUDA back end of {@link CostMatrices}: one launch of {@code costs_weighted_*} (costs.cu) for all
 * problems and up to {@link #MAX_TERMS} terms, enqueued on the current stream without
 * synchronisation. More terms run as several launches accumulating into a float64 buffer that is
 * rounded once at the end. Bad GT counts and labels go to a {@link DeviceErrorFlag} attached to the
 * results, so they are thrown when a result is read.
 */
final class CudaCostMatrices {
    /** Terms per launch (the kernel's parameter table). */
    static final int MAX_TERMS = 7;
    private static final int THREADS = 256;
    /** Shared-memory budget for the class-cost tile of a block. */
    private static final int CLASS_TILE_BYTES = 32 * 1024;

    private CudaCostMatrices() {}

    /** Costs {@code (P..., Q, M)} and the column count of every problem, int64 {@code (P...)}. */
    static CostMatrices.ProblemCosts weightedSum(CostInputs in, List<CostTerm> terms, CostInputs.Layout lay) {
        Device device = lay.device();
        long[] batch = lay.batchShape();
        long[] shape = new long[batch.length + 2];
        System.arraycopy(batch, 0, shape, 0, batch.length);
        shape[batch.length] = lay.queries();
        shape[batch.length + 1] = lay.maxGt();
        Tensor counts = Tensor.empty(DType.INT64, device, batch);
        CudaStream stream = CudaStream.current(device);
        DeviceErrorFlag flag = DeviceErrorFlag.create(device, stream);
        Tensor costs;
        Target own = new Target(null, (long) lay.queries() * lay.maxGt(), lay.maxGt(), counts, null);
        if (terms.size() <= MAX_TERMS) {
            costs = Tensor.empty(lay.dtype(), device, shape);
            launch(in, terms, lay, own.into(costs), false, flag, stream);
        } else {
            Tensor wide = Tensor.empty(DType.FLOAT64, device, shape);
            for (int from = 0; from < terms.size(); from += MAX_TERMS) {
                List<CostTerm> part = terms.subList(from, Math.min(terms.size(), from + MAX_TERMS));
                launch(in, part, lay, own.into(wide), from > 0, flag, stream);
            }
            costs = wide.to(lay.dtype());
            if (costs != wide) {
                wide.close();
            }
        }
        flag.attachTo("CostMatrices (sample = GT sample)", costs, counts);
        return new CostMatrices.ProblemCosts(costs, counts);
    }

    /**
     * Writes the costs of one head into its slice of a joint padded buffer {@code (N, R, C)}
     * (problems {@code [offset, offset + P)}), with its column and row counts, for one
     * {@link LinearAssignment} launch over several heads. Returns the error flag to attach.
     */
    static DeviceErrorFlag weightedSumInto(CostInputs in, List<CostTerm> terms, CostInputs.Layout lay, Tensor joint,
                                           long offset, Tensor rowCounts, Tensor colCounts) {
        Device device = lay.device();
        CudaStream stream = CudaStream.current(device);
        DeviceErrorFlag flag = DeviceErrorFlag.create(device, stream);
        int p = lay.problems();
        long r = joint.shape(1);
        long c = joint.shape(2);
        Tensor rows = rowCounts.narrow(0, offset, p);
        Tensor cols = colCounts.narrow(0, offset, p);
        if (p == 0) {
            return flag;
        }
        Tensor slice = joint.narrow(0, offset, p);
        if (terms.size() <= MAX_TERMS) {
            launch(in, terms, lay, new Target(slice, r * c, c, cols, rows), false, flag, stream);
            return flag;
        }
        // more terms than one launch takes: computed on their own, then copied into the slice
        CostMatrices.ProblemCosts own = weightedSum(in, terms, lay);
        long es = joint.dtype().byteSize();
        long width = (long) lay.maxGt() * es;
        for (int i = 0; i < p; i++) {
            CudaMemory.copy2DAsync(stream, CudaMemory.Location.DEVICE,
                    own.costs().devicePointer() + (long) i * lay.queries() * width, width, CudaMemory.Location.DEVICE,
                    slice.devicePointer() + (long) i * r * c * es, c * es, width, lay.queries());
        }
        cols.copyFrom(own.columnCounts().reshape(p));
        rows.fillInPlace(lay.queries());
        own.close();
        return flag;
    }

    /** Where a launch writes: output base, problem and row strides (elements), count outputs. */
    private record Target(Tensor out, long problemStride, long rowStride, Tensor colCounts, Tensor rowCounts) {
        Target into(Tensor o) {
            return new Target(o, problemStride, rowStride, colCounts, rowCounts);
        }
    }

    private static void launch(CostInputs in, List<CostTerm> terms, CostInputs.Layout lay, Target target,
                               boolean accumulate, DeviceErrorFlag flag, CudaStream stream) {
        boolean hasClass = false;
        boolean softmax = false;
        for (CostTerm t : terms) {
            hasClass |= t instanceof CostTerm.FocalLoss || t instanceof CostTerm.Classification;
            softmax |= t instanceof CostTerm.Classification;
        }
        int q = lay.queries();
        int m = lay.maxGt();
        int c = lay.classes();
        int tileQ = (int) Math.max(1, Math.min(64, (2048L + Math.max(m, 1) - 1) / Math.max(m, 1)));
        boolean sharedClass = hasClass && (long) c * 8 <= CLASS_TILE_BYTES;
        if (sharedClass) {
            tileQ = Math.max(1, Math.min(tileQ, CLASS_TILE_BYTES / (8 * c)));
        }
        int shared = (sharedClass ? tileQ * c * 8 : 0) + (softmax ? tileQ * 16 : 0);
        long tiles = Math.max(1, (q + tileQ - 1) / tileQ);
        long blocks = tiles * lay.problems();
        if (blocks == 0) {
            return;
        }
        if (blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("cost matrix too large for one launch: " + lay.problems() + " x " + q);
        }
        Tensor out = target.out();
        boolean f64in = lay.dtype() == DType.FLOAT64;
        String name = f64in ? "costs_weighted_f64"
                : out.dtype() == DType.FLOAT64 ? "costs_weighted_f32_acc64" : "costs_weighted_f32";
        CudaKernel kernel = CudaModule.load(lay.device(), "costs").function(name);
        CudaKernel.Launch l = kernel.launch(stream).grid((int) blocks).block(THREADS).sharedMemory(shared)
                .ptr(pointer(hasClass ? in.logits : null)).ptr(pointer(lay.predBoxDim() > 0 ? in.predBoxes : null))
                .ptr(pointer(in.predCenters)).ptr(pointer(hasClass ? in.gtLabels : null))
                .i32(is64(hasClass ? in.gtLabels : null))
                .ptr(pointer(lay.predBoxDim() > 0 ? in.gtBoxes : null)).ptr(pointer(in.gtCenters))
                .ptr(in.gtCounts).i32(is64(in.gtCounts)).ptr(out).i64(target.problemStride()).i64(target.rowStride())
                .ptr(pointer(target.colCounts())).ptr(pointer(target.rowCounts()))
                .i32(lay.gtSamples()).i32(q).i32(m).i32(c).i32(lay.predBoxDim()).i32(lay.gtBoxDim())
                .f64(in.imageWidth).f64(in.imageHeight)
                .i32(sharedClass ? 1 : 0).i32(tileQ).i32(accumulate ? 1 : 0).ptr(flag.pointer()).i32(terms.size());
        for (int k = 0; k < MAX_TERMS; k++) {
            termParameters(l, k < terms.size() ? terms.get(k) : null);
        }
        l.run();
    }

    /** Kind, integer parameter, weight, alpha, gamma of one table entry (costs.cu COST_*). */
    private static void termParameters(CudaKernel.Launch l, CostTerm t) {
        int kind = -1;
        int ip = 0;
        double a = 0;
        double g = 0;
        switch (t) {
            case null -> { }
            case CostTerm.FocalLoss f -> {
                kind = 0;
                a = f.alpha();
                g = f.gamma();
            }
            case CostTerm.Classification c -> kind = 1;
            case CostTerm.BBoxL1 b -> {
                kind = 2;
                ip = b.format().ordinal();
            }
            case CostTerm.BBox3DL1 b -> {
                kind = 3;
                ip = b.k();
            }
            case CostTerm.IoU i -> {
                kind = 4;
                ip = i.mode().ordinal();
            }
            case CostTerm.CenterL1 c -> kind = 5;
        }
        l.i32(kind).i32(ip).f64(t == null ? 0 : t.weight()).f64(a).f64(g);
    }

    private static long pointer(Tensor t) {
        return t == null || t.numel() == 0 ? 0L : t.devicePointer();
    }

    private static int is64(Tensor t) {
        return t != null && t.dtype() == DType.INT64 ? 1 : 0;
    }
}
