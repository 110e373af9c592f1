package dev.batchwise.loss;

import dev.batchwise.cpu.HostArrays;
import dev.batchwise.tensor.Tensor;

/**
 * CPU kernels of the losses over matched pairs: one task per problem writes the gradient rows of
 * its own queries, so problems run in parallel; the value is a deterministic ordered sum.
 */
final class CpuMatchedLosses {
    private CpuMatchedLosses() {}

    static LossResult l1(MatchedLayout lay, double[] codeWeights, double lossWeight, Reduction reduction,
                         Tensor gradInto) {
        double[] pred = lay.pred().toDoubleArray();
        double[] tgt = lay.target().toDoubleArray();
        double[] grad = initialGrad(lay, gradInto);
        PairIndex idx = lay.index();
        int q = lay.queries();
        int m = lay.gtRows();
        int d = lay.dim();
        double[] scales = lay.groups().scales(reduction, lossWeight, 0);
        double[] sums = CpuGroupSum.run(lay.groups(), scales, 1, (p, end, scale) -> {
            int s = p % lay.gtSamples();
            double sum = 0;
            for (int k = 0; k < idx.count(p); k++) {
                int pi = (p * q + idx.pred(p, k)) * d;
                int ti = (s * m + idx.gt(p, k)) * d;
                for (int j = 0; j < d; j++) {
                    double cw = codeWeights == null ? 1.0 : codeWeights[j];
                    double diff = pred[pi + j] - tgt[ti + j];
                    sum += cw * Math.abs(diff);
                    grad[pi + j] += scale * cw * Math.signum(diff);
                }
            }
            return sum;
        });
        return finish(lay, sums, scales, grad, gradInto);
    }

    static LossResult giouCxcywh(MatchedLayout lay, double width, double height, double eps, double lossWeight,
                                 Reduction reduction, Tensor gradInto) {
        double[] pred = lay.pred().toDoubleArray();
        double[] tgt = lay.target().toDoubleArray();
        double[] grad = initialGrad(lay, gradInto);
        PairIndex idx = lay.index();
        int q = lay.queries();
        int m = lay.gtRows();
        double[] scales = lay.groups().scales(reduction, lossWeight, 0);
        double[] sums = CpuGroupSum.run(lay.groups(), scales, 1, (p, end, scale) -> {
            int s = p % lay.gtSamples();
            double[] g = new double[4];
            double sum = 0;
            for (int k = 0; k < idx.count(p); k++) {
                int pi = (p * q + idx.pred(p, k)) * 4;
                int ti = (s * m + idx.gt(p, k)) * 4;
                double cx = pred[pi];
                double cy = pred[pi + 1];
                double hw = 0.5 * pred[pi + 2];
                double hh = 0.5 * pred[pi + 3];
                sum += LossMath.giouLoss((cx - hw) * width, (cy - hh) * height, (cx + hw) * width,
                        (cy + hh) * height, tgt[ti], tgt[ti + 1], tgt[ti + 2], tgt[ti + 3], eps, g);
                // chain rule through x1 = (cx - w/2) W, x2 = (cx + w/2) W (same for y with H)
                grad[pi] += scale * width * (g[0] + g[2]);
                grad[pi + 1] += scale * height * (g[1] + g[3]);
                grad[pi + 2] += scale * width * 0.5 * (g[2] - g[0]);
                grad[pi + 3] += scale * height * 0.5 * (g[3] - g[1]);
            }
            return sum;
        });
        return finish(lay, sums, scales, grad, gradInto);
    }

    private static double[] initialGrad(MatchedLayout lay, Tensor gradInto) {
        return gradInto == null ? new double[(int) lay.pred().numel()] : gradInto.toDoubleArray();
    }

    private static LossResult finish(MatchedLayout lay, double[] sums, double[] scales, double[] grad,
                                     Tensor gradInto) {
        Tensor value = HostFallback.onDevice(Tensor.of(CpuGroupSum.scaled(sums, scales), lay.groups().valueShape()),
                lay.pred().device());
        Tensor g = HostArrays.tensorOf(grad, lay.pred().dtype(), lay.pred().shape());
        if (gradInto == null) {
            return new LossResult(value, HostFallback.onDevice(g, lay.pred().device()));
        }
        gradInto.copyFrom(g);
        g.close();
        return new LossResult(value, gradInto);
    }
}
