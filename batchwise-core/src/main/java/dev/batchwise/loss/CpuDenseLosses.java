package dev.batchwise.loss;

import dev.batchwise.cpu.HostArrays;
import dev.batchwise.tensor.Tensor;

/** CPU kernels of the element-wise losses: value and gradient in one pass, double precision. */
final class CpuDenseLosses {
    private CpuDenseLosses() {}

    static LossResult focal(Tensor logits, Tensor labels, Tensor weight, double alpha, double gamma,
                            double lossWeight, Reduction reduction, Groups groups) {
        double[] x = logits.toDoubleArray();
        long[] lab = labels.toLongArray();
        double[] w = weight == null ? null : weight.toDoubleArray();
        int c = (int) logits.shape(logits.rank() - 1);
        for (int r = 0; r < lab.length; r++) {
            if (lab[r] < 0 || lab[r] > c) {
                throw new IndexOutOfBoundsException("labels[" + r + "] = " + lab[r] + " is outside [0, " + c
                        + "] (classes and background " + c + ")");
            }
        }
        double[] grad = new double[x.length];
        double[] scales = groups.scales(reduction, lossWeight, groups.perGroup());
        int chunk = Math.max(c, CpuGroupSum.CHUNK / c * c);
        double[] sums = CpuGroupSum.run(groups, scales, chunk, (from, to, scale) -> {
            double sum = 0;
            for (int i = from; i < to; i++) {
                int r = i / c;
                boolean pos = lab[r] == i - r * c;
                double rw = w == null ? 1.0 : w[r];
                sum += rw * LossMath.focal(x[i], pos, alpha, gamma);
                grad[i] = scale * rw * LossMath.focalGrad(x[i], pos, alpha, gamma);
            }
            return sum;
        });
        return result(sums, scales, groups, grad, logits);
    }

    static LossResult qualityFocal(Tensor logits, Tensor labels, Tensor scores, Tensor weight, double beta,
                                   double lossWeight, Reduction reduction, Groups groups) {
        double[] x = logits.toDoubleArray();
        long[] lab = labels.toLongArray();
        double[] sc = scores.toDoubleArray();
        double[] w = weight == null ? null : weight.toDoubleArray();
        int c = (int) logits.shape(logits.rank() - 1);
        double[] grad = new double[x.length];
        // mmdet sums over classes first, so 'mean' divides by the number of rows
        double[] scales = groups.scales(reduction, lossWeight, groups.perGroup() / Math.max(c, 1));
        int chunk = Math.max(c, CpuGroupSum.CHUNK / c * c);
        double[] sums = CpuGroupSum.run(groups, scales, chunk, (from, to, scale) -> {
            double sum = 0;
            for (int i = from; i < to; i++) {
                int r = i / c;
                boolean pos = lab[r] >= 0 && lab[r] < c && lab[r] == i - r * c;
                double rw = w == null ? 1.0 : w[r];
                double v = pos ? LossMath.qflPositive(x[i], sc[r], beta) : LossMath.qflNegative(x[i], beta);
                double d = pos ? LossMath.qflPositiveGrad(x[i], sc[r], beta) : LossMath.qflNegativeGrad(x[i], beta);
                sum += rw * v;
                grad[i] = scale * rw * d;
            }
            return sum;
        });
        return result(sums, scales, groups, grad, logits);
    }

    static LossResult bce(Tensor logits, Tensor targets, Tensor weight, double lossWeight, Reduction reduction,
                          Groups groups) {
        double[] x = logits.toDoubleArray();
        double[] t = targets.toDoubleArray();
        double[] w = weight == null ? null : weight.toDoubleArray();
        double[] grad = new double[x.length];
        double[] scales = groups.scales(reduction, lossWeight, groups.perGroup());
        double[] sums = CpuGroupSum.run(groups, scales, CpuGroupSum.CHUNK, (from, to, scale) -> {
            double sum = 0;
            for (int i = from; i < to; i++) {
                double ew = w == null ? 1.0 : w[i];
                sum += ew * LossMath.bce(x[i], t[i]);
                grad[i] = scale * ew * LossMath.bceGrad(x[i], t[i]);
            }
            return sum;
        });
        return result(sums, scales, groups, grad, logits);
    }

    static LossResult gaussianFocal(Tensor pred, boolean logits, Tensor targets, double alpha, double gamma,
                                    double lossWeight, Reduction reduction, Groups groups) {
        double[] x = pred.toDoubleArray();
        double[] t = targets.toDoubleArray();
        double[] grad = new double[x.length];
        double[] scales = groups.scales(reduction, lossWeight, groups.perGroup());
        double[] sums = CpuGroupSum.run(groups, scales, CpuGroupSum.CHUNK, (from, to, scale) -> {
            double sum = 0;
            for (int i = from; i < to; i++) {
                double p = logits ? LossMath.clipSigmoid(x[i]) : x[i];
                double dpdx = logits ? LossMath.clipSigmoidGrad(x[i]) : 1.0;
                sum += LossMath.gaussianFocal(p, t[i], alpha, gamma);
                double d = LossMath.gaussianFocalGrad(p, t[i], alpha, gamma);
                grad[i] = dpdx == 0 ? 0.0 : scale * d * dpdx;
            }
            return sum;
        });
        return result(sums, scales, groups, grad, pred);
    }

    static LossResult giou(Tensor pred, Tensor target, Tensor weight, double eps, double lossWeight,
                           Reduction reduction, Groups groups) {
        double[] a = pred.toDoubleArray();
        double[] b = target.toDoubleArray();
        double[] w = weight == null ? null : weight.toDoubleArray();
        double[] grad = new double[a.length];
        double[] scales = groups.scales(reduction, lossWeight, groups.perGroup());
        double[] sums = CpuGroupSum.run(groups, scales, CpuGroupSum.CHUNK / 4, (from, to, scale) -> {
            double[] g = new double[4];
            double sum = 0;
            for (int r = from; r < to; r++) {
                int i = r * 4;
                double rw = w == null ? 1.0 : w[r];
                sum += rw * LossMath.giouLoss(a[i], a[i + 1], a[i + 2], a[i + 3], b[i], b[i + 1], b[i + 2],
                        b[i + 3], eps, g);
                for (int j = 0; j < 4; j++) {
                    grad[i + j] = scale * rw * g[j];
                }
            }
            return sum;
        });
        return result(sums, scales, groups, grad, pred);
    }

    static LossResult result(double[] sums, double[] scales, Groups groups, double[] grad, Tensor pred) {
        Tensor value = Tensor.of(CpuGroupSum.scaled(sums, scales), groups.valueShape());
        Tensor g = HostArrays.tensorOf(grad, pred.dtype(), pred.shape());
        return HostFallback.onDevice(new LossResult(value, g), pred.device());
    }
}
