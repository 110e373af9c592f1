package dev.batchwise.loss;

import dev.batchwise.cpu.FloatRows;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;

/**
 * CPU kernels of the losses over matched pairs: one task per problem reads only its matched
 * prediction rows and updates only their gradient rows in place (the other rows stay zero, or
 * untouched with {@code gradInto}), so problems run in parallel; the value is a deterministic
 * ordered sum. A query that occurs in several pairs gets the sum of their gradients.
 *
 * <p>Matched pairs are few (W1: about 2,000 3D and 700 2D pairs per step, microseconds of work),
 * so below {@link #PARALLEL_MIN_WORK} the problems run on the calling thread: handing them to the
 * pool and waiting for its workers cost more than the loss itself (the four matched losses of
 * the batched W1 step took 0.7 ms, mostly dispatch).
 */
final class CpuMatchedLosses {
    /** Pair coordinates (or GIoU pairs x 16) below which a loss runs on the calling thread. */
    static final long PARALLEL_MIN_WORK = 1 << 16;

    private CpuMatchedLosses() {}

    /** Problems per parallel task: all of them when the pairs are too few to be worth the pool. */
    static int problemsPerTask(PairIndex idx, int workPerPair) {
        long work = 0;
        for (int p = 0; p < idx.problems(); p++) {
            work += (long) idx.count(p) * workPerPair;
        }
        return work < PARALLEL_MIN_WORK ? Math.max(1, idx.problems()) : 1;
    }

    static LossResult l1(MatchedLayout lay, double[] codeWeights, double lossWeight, Reduction reduction,
                         Tensor gradInto) {
        FloatRows pred = FloatRows.of(lay.pred());
        FloatRows tgt = FloatRows.of(lay.target());
        Tensor grad = gradInto != null ? gradInto : Tensor.zeros(lay.pred().dtype(), Device.CPU, lay.pred().shape());
        FloatRows g = FloatRows.of(grad);
        PairIndex idx = lay.index();
        int q = lay.queries();
        int m = lay.gtRows();
        int d = lay.dim();
        double[] scales = lay.groups().scales(reduction, lossWeight, 0);
        double[] sums = CpuGroupSum.run(lay.groups(), scales, 1, problemsPerTask(idx, d), (p, end, scale) -> {
            int s = p % lay.gtSamples();
            double sum = 0;
            for (int k = 0; k < idx.count(p); k++) {
                long pi = ((long) p * q + idx.pred(p, k)) * d;
                long ti = ((long) s * m + idx.gt(p, k)) * d;
                for (int j = 0; j < d; j++) {
                    double cw = codeWeights == null ? 1.0 : codeWeights[j];
                    double diff = pred.get(pi + j) - tgt.get(ti + j);
                    sum += cw * Math.abs(diff);
                    g.set(pi + j, g.get(pi + j) + scale * cw * Math.signum(diff));
                }
            }
            return sum;
        });
        return finish(lay, sums, scales, grad);
    }

    static LossResult giouCxcywh(MatchedLayout lay, double width, double height, double eps, double lossWeight,
                                 Reduction reduction, Tensor gradInto) {
        FloatRows pred = FloatRows.of(lay.pred());
        FloatRows tgt = FloatRows.of(lay.target());
        Tensor grad = gradInto != null ? gradInto : Tensor.zeros(lay.pred().dtype(), Device.CPU, lay.pred().shape());
        FloatRows gr = FloatRows.of(grad);
        PairIndex idx = lay.index();
        int q = lay.queries();
        int m = lay.gtRows();
        double[] scales = lay.groups().scales(reduction, lossWeight, 0);
        double[] sums = CpuGroupSum.run(lay.groups(), scales, 1, problemsPerTask(idx, 16), (p, end, scale) -> {
            int s = p % lay.gtSamples();
            double[] g = new double[4];
            double sum = 0;
            for (int k = 0; k < idx.count(p); k++) {
                long pi = ((long) p * q + idx.pred(p, k)) * 4;
                long ti = ((long) s * m + idx.gt(p, k)) * 4;
                double cx = pred.get(pi);
                double cy = pred.get(pi + 1);
                double hw = 0.5 * pred.get(pi + 2);
                double hh = 0.5 * pred.get(pi + 3);
                sum += LossMath.giouLoss((cx - hw) * width, (cy - hh) * height, (cx + hw) * width,
                        (cy + hh) * height, tgt.get(ti), tgt.get(ti + 1), tgt.get(ti + 2), tgt.get(ti + 3), eps, g);
                // chain rule through x1 = (cx - w/2) W, x2 = (cx + w/2) W (same for y with H)
                gr.set(pi, gr.get(pi) + scale * width * (g[0] + g[2]));
                gr.set(pi + 1, gr.get(pi + 1) + scale * height * (g[1] + g[3]));
                gr.set(pi + 2, gr.get(pi + 2) + scale * width * 0.5 * (g[2] - g[0]));
                gr.set(pi + 3, gr.get(pi + 3) + scale * height * 0.5 * (g[3] - g[1]));
            }
            return sum;
        });
        return finish(lay, sums, scales, grad);
    }

    private static LossResult finish(MatchedLayout lay, double[] sums, double[] scales, Tensor grad) {
        return new LossResult(Tensor.of(CpuGroupSum.scaled(sums, scales), lay.groups().valueShape()), grad);
    }
}
