package dev.batchwise.loss;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;

/**
 * CUDA back end of the element-wise losses: one launch of {@code loss_dense_*} (loss.cu) per call
 * computes the value of every reduction group and the gradient, enqueued on the current stream.
 * Float side inputs (targets, scores, weights) are converted to the predictions' dtype first when
 * they differ.
 */
final class CudaDenseLosses {
    static final int FOCAL = 0;
    static final int QUALITY_FOCAL = 1;
    static final int BCE = 2;
    static final int GAUSSIAN_FOCAL = 3;
    static final int GIOU = 4;
    /** Loss units each thread handles at least, before another block is added to a group. */
    private static final int UNITS_PER_THREAD = 8;
    private static final int MAX_BLOCKS_PER_GROUP = 4096;

    private CudaDenseLosses() {}

    /**
     * Runs one dense loss.
     *
     * @param kind {@link #FOCAL}, ...
     * @param x predictions
     * @param labels per-row labels (focal kinds) or null
     * @param aux scores (quality focal), targets (BCE, Gaussian focal, GIoU boxes) or null
     * @param weight per-row (per-element for BCE, per-box for GIoU) weights or null
     * @param units loss units: elements, or boxes for GIoU
     * @param a alpha (focal kinds), beta (quality focal)
     * @param g gamma
     * @param scale the factor of each group's raw sum (loss weight / divisor)
     */
    static LossResult run(String op, int kind, Tensor x, Tensor labels, Tensor aux, Tensor weight, long units,
                          int classes, Groups groups, double a, double g, boolean fromLogits, double eps,
                          double scale) {
        Device device = x.device();
        Tensor grad = Tensor.empty(x.dtype(), device, x.shape());
        if (units == 0 || groups.count() == 0) {
            grad.fillInPlace(0);
            return new LossResult(Tensor.zeros(DType.FLOAT64, device, groups.valueShape()), grad);
        }
        long per = units / groups.count();
        int bpg = (int) Math.max(1, Math.min(MAX_BLOCKS_PER_GROUP,
                (per + (long) CudaLossLaunch.THREADS * UNITS_PER_THREAD - 1)
                        / ((long) CudaLossLaunch.THREADS * UNITS_PER_THREAD)));
        long blocks = (long) bpg * groups.count();
        if (blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": too many reduction groups for one launch: " + groups.count());
        }
        Tensor auxT = CudaLossLaunch.as(aux, x.dtype());
        Tensor weightT = CudaLossLaunch.as(weight, x.dtype());
        CudaLossLaunch l = CudaLossLaunch.open(device, "loss_dense" + CudaLossLaunch.suffix(x.dtype()), (int) blocks,
                groups.valueShape());
        l.reduction(l.launch().i32(kind).ptr(x).ptr(CudaLossLaunch.pointer(labels)).i32(CudaLossLaunch.is64(labels))
                .ptr(CudaLossLaunch.pointer(auxT)).ptr(CudaLossLaunch.pointer(weightT)).ptr(grad)
                .i64(units).i32(classes).i32(groups.count()).i32(bpg).f64(a).f64(g).i32(fromLogits ? 1 : 0)
                .f64(eps).f64(scale)).ptr(l.flag.pointer()).run();
        CudaLossLaunch.release(auxT, aux);
        CudaLossLaunch.release(weightT, weight);
        l.finish(op, grad);
        return new LossResult(l.value, grad);
    }

    /** The shared factor of every group (all groups have the same size). */
    static double scale(Groups groups, Reduction reduction, double lossWeight, long elementsPerGroup) {
        return groups.count() == 0 ? 0.0 : groups.scales(reduction, lossWeight, elementsPerGroup)[0];
    }
}
