package dev.batchwise.loss;

import dev.batchwise.cuda.CudaModule;
import dev.batchwise.cuda.CudaStream;
import dev.batchwise.cuda.DeviceErrorFlag;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;

/**
 * CUDA back end of the losses over matched pairs: one launch per call, one block per problem,
 * reading the pair indices and counts on the device (loss.cu {@code loss_matched_*}). Without
 * {@code gradInto} the kernel zeroes the gradient rows of its problem itself, so no separate fill
 * is issued.
 */
final class CudaMatchedLosses {
    /** Code weights passed as kernel parameters; longer vectors go through a device copy. */
    private static final int PARAM_CODE_WEIGHTS = 16;

    private CudaMatchedLosses() {}

    static LossResult l1(MatchedLayout lay, double[] codeWeights, double lossWeight, Reduction reduction,
                         Tensor gradInto) {
        Tensor pred = lay.pred();
        Tensor grad = gradInto != null ? gradInto : Tensor.empty(pred.dtype(), pred.device(), pred.shape());
        int problems = (int) lay.pairs().problems();
        if (problems == 0) {
            return empty(lay, grad, gradInto);
        }
        double scale = CudaDenseLosses.scale(lay.groups(), reduction, lossWeight, 0);
        Tensor target = CudaLossLaunch.as(lay.target(), pred.dtype());
        boolean inParams = codeWeights != null && codeWeights.length <= PARAM_CODE_WEIGHTS;
        Tensor cwDevice = codeWeights != null && !inParams ? Tensor.of(codeWeights, codeWeights.length)
                .to(pred.device()) : null;
        MatchedPairs pr = lay.pairs();
        CudaLossLaunch l = CudaLossLaunch.open(pred.device(), "loss_matched_l1" + CudaLossLaunch.suffix(pred.dtype()),
                problems, lay.groups().valueShape());
        var launch = l.reduction(l.launch().ptr(pred).ptr(target)
                .ptr(CudaLossLaunch.pointer(pr.predIndices())).i32(CudaLossLaunch.is64(pr.predIndices()))
                .ptr(CudaLossLaunch.pointer(pr.gtIndices())).i32(CudaLossLaunch.is64(pr.gtIndices()))
                .ptr(pr.counts()).i32(CudaLossLaunch.is64(pr.counts())).ptr(grad)
                .i32(lay.queries()).i32(lay.gtRows()).i32(lay.dim()).i32((int) pr.maxPairs()).i32(lay.gtSamples())
                .i32(lay.groups().count()).i32(codeWeights == null ? 0 : inParams ? 1 : 2)
                .ptr(CudaLossLaunch.pointer(cwDevice)).f64(scale).i32(gradInto != null ? 1 : 0))
                .ptr(l.flag.pointer());
        for (int d = 0; d < PARAM_CODE_WEIGHTS; d++) {
            launch.f64(inParams && d < codeWeights.length ? codeWeights[d] : 0.0);
        }
        launch.run();
        CudaLossLaunch.release(target, lay.target());
        if (cwDevice != null) {
            cwDevice.close();
        }
        l.finish("L1Loss (sample = problem, position = pair)", grad);
        return new LossResult(l.value, grad);
    }

    static LossResult giouCxcywh(MatchedLayout lay, double width, double height, double eps, double lossWeight,
                                 Reduction reduction, Tensor gradInto) {
        Tensor pred = lay.pred();
        Tensor grad = gradInto != null ? gradInto : Tensor.empty(pred.dtype(), pred.device(), pred.shape());
        int problems = (int) lay.pairs().problems();
        if (problems == 0) {
            return empty(lay, grad, gradInto);
        }
        double scale = CudaDenseLosses.scale(lay.groups(), reduction, lossWeight, 0);
        Tensor target = CudaLossLaunch.as(lay.target(), pred.dtype());
        MatchedPairs pr = lay.pairs();
        CudaLossLaunch l = CudaLossLaunch.open(pred.device(),
                "loss_matched_giou" + CudaLossLaunch.suffix(pred.dtype()), problems, lay.groups().valueShape());
        l.reduction(l.launch().ptr(pred).ptr(target)
                .ptr(CudaLossLaunch.pointer(pr.predIndices())).i32(CudaLossLaunch.is64(pr.predIndices()))
                .ptr(CudaLossLaunch.pointer(pr.gtIndices())).i32(CudaLossLaunch.is64(pr.gtIndices()))
                .ptr(pr.counts()).i32(CudaLossLaunch.is64(pr.counts())).ptr(grad)
                .i32(lay.queries()).i32(lay.gtRows()).i32((int) pr.maxPairs()).i32(lay.gtSamples())
                .i32(lay.groups().count()).f64(width).f64(height).f64(eps).f64(scale).i32(gradInto != null ? 1 : 0))
                .ptr(l.flag.pointer()).run();
        CudaLossLaunch.release(target, lay.target());
        l.finish("GIoULoss (sample = problem, position = pair)", grad);
        return new LossResult(l.value, grad);
    }

    /**
     * Per-query labels {@code (P..., Q)} int64 from matched pairs (the last pair of a query wins),
     * {@code background} elsewhere: one launch, one block per problem.
     */
    static Tensor classLabels(MatchedPairs pairs, Tensor gtLabels, long[] shape, int queries, int gtRows, int samples,
                              long background) {
        Device device = gtLabels.device();
        Tensor out = Tensor.empty(DType.INT64, device, shape);
        int problems = (int) pairs.problems();
        if (problems == 0 || queries == 0) {
            return out;
        }
        CudaStream stream = CudaStream.current(device);
        DeviceErrorFlag flag = DeviceErrorFlag.create(device, stream);
        CudaModule.load(device, "loss").function("loss_matched_labels").launch(stream).grid(problems)
                .block(CudaLossLaunch.THREADS)
                .ptr(CudaLossLaunch.pointer(pairs.predIndices())).i32(CudaLossLaunch.is64(pairs.predIndices()))
                .ptr(CudaLossLaunch.pointer(pairs.gtIndices())).i32(CudaLossLaunch.is64(pairs.gtIndices()))
                .ptr(pairs.counts()).i32(CudaLossLaunch.is64(pairs.counts()))
                .ptr(CudaLossLaunch.pointer(gtLabels)).i32(CudaLossLaunch.is64(gtLabels)).ptr(out)
                .i32(queries).i32(gtRows).i32((int) pairs.maxPairs()).i32(samples).i64(background)
                .ptr(flag.pointer()).run();
        flag.attachTo("MatchedTargets.classLabels (sample = problem, position = pair)", out);
        return out;
    }

    private static LossResult empty(MatchedLayout lay, Tensor grad, Tensor gradInto) {
        if (gradInto == null) {
            grad.fillInPlace(0);
        }
        return new LossResult(Tensor.zeros(DType.FLOAT64, lay.pred().device(), lay.groups().valueShape()), grad);
    }
}
