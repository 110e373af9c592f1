package dev.batchwise.loss;

import dev.batchwise.cpu.FloatRows;
import dev.batchwise.cpu.HostArrays;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;

/**
 * CPU kernels of the element-wise losses: value and gradient in one pass, double precision, in
 * fixed chunks on all cores; focal and Gaussian focal losses are vectorised ({@link VectorLosses})
 * and read and write the tensors' memory chunk by chunk.
 */
final class CpuDenseLosses {
    private CpuDenseLosses() {}

    static LossResult focal(Tensor logits, Tensor labels, Tensor weight, double alpha, double gamma,
                            double lossWeight, Reduction reduction, Groups groups) {
        long[] lab = labels.toLongArray();
        double[] w = weight == null ? null : weight.toDoubleArray();
        int c = (int) logits.shape(logits.rank() - 1);
        for (int r = 0; r < lab.length; r++) {
            if (lab[r] < 0 || lab[r] > c) {
                throw new IndexOutOfBoundsException("labels[" + r + "] = " + lab[r] + " is outside [0, " + c
                        + "] (classes and background " + c + ")");
            }
        }
        FloatRows x = FloatRows.of(logits);
        Tensor grad = Tensor.empty(logits.dtype(), Device.CPU, logits.shape());
        FloatRows g = FloatRows.of(grad);
        double[] scales = groups.scales(reduction, lossWeight, groups.perGroup());
        int chunk = Math.max(c, CpuGroupSum.CHUNK / c * c);
        double[] sums = CpuGroupSum.run(groups, scales, chunk, (from, to, scale) -> {
            int n = to - from;
            Buffers b = Buffers.get(chunk);
            x.read(from, b.x, 0, n);
            java.util.Arrays.fill(b.t, 0, n, 0.0);
            int r0 = from / c;
            int r1 = (to + c - 1) / c;
            for (int r = r0; r < r1; r++) {
                int at = r * c + (int) lab[r] - from;
                if (lab[r] < c && at >= 0 && at < n) {
                    b.t[at] = 1.0;
                }
                if (w != null) {
                    int lo = Math.max(r * c, from) - from;
                    int hi = Math.min((r + 1) * c, to) - from;
                    java.util.Arrays.fill(b.w, lo, hi, w[r]);
                }
            }
            double sum = VectorLosses.focal(b.x, b.t, w == null ? null : b.w, n, alpha, gamma, scale, b.g);
            g.write(from, b.g, 0, n);
            return sum;
        });
        return result(sums, scales, groups, grad);
    }

    /** Per-thread block buffers of the vectorised losses. */
    private static final class Buffers {
        private static final ThreadLocal<Buffers> LOCAL = new ThreadLocal<>();
        final double[] x;
        final double[] t;
        final double[] w;
        final double[] g;

        private Buffers(int n) {
            x = new double[n];
            t = new double[n];
            w = new double[n];
            g = new double[n];
        }

        static Buffers get(int n) {
            Buffers b = LOCAL.get();
            if (b == null || b.x.length < n) {
                b = new Buffers(n);
                LOCAL.set(b);
            }
            return b;
        }
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
        FloatRows x = FloatRows.of(pred);
        FloatRows t = FloatRows.of(targets);
        Tensor grad = Tensor.empty(pred.dtype(), Device.CPU, pred.shape());
        FloatRows g = FloatRows.of(grad);
        double[] scales = groups.scales(reduction, lossWeight, groups.perGroup());
        double[] sums = CpuGroupSum.run(groups, scales, CpuGroupSum.CHUNK, (from, to, scale) -> {
            int n = to - from;
            Buffers b = Buffers.get(CpuGroupSum.CHUNK);
            x.read(from, b.x, 0, n);
            t.read(from, b.t, 0, n);
            double sum = VectorLosses.gaussianFocal(b.x, b.t, n, logits, alpha, gamma, scale, b.g);
            g.write(from, b.g, 0, n);
            return sum;
        });
        return result(sums, scales, groups, grad);
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
        return result(sums, scales, groups, HostArrays.tensorOf(grad, pred.dtype(), pred.shape()));
    }

    static LossResult result(double[] sums, double[] scales, Groups groups, Tensor grad) {
        return new LossResult(Tensor.of(CpuGroupSum.scaled(sums, scales), groups.valueShape()), grad);
    }
}
