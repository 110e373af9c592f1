package dev.batchwise.loss;

import dev.batchwise.tensor.Shapes;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorChecks;
import java.util.Arrays;

/**
 * Validated shapes of a loss over matched pairs: predictions {@code (P..., Q, D)}, targets
 * {@code (S..., M, D)} with {@code S...} a suffix of {@code P...}, pairs with batch shape {@code P...}.
 */
record MatchedLayout(Tensor pred, Tensor target, MatchedPairs pairs, Groups groups, int queries, int gtRows,
                     int dim, int gtSamples) {
    static MatchedLayout of(Tensor pred, String predName, Tensor target, String targetName, MatchedPairs pairs,
                            Reduction reduction, Tensor gradInto) {
        LossChecks.requireFloat(pred, predName);
        LossChecks.requireFloat(target, targetName);
        LossChecks.requireNonNull(pairs, "pairs");
        LossChecks.requireNonNull(reduction, "reduction");
        if (reduction.kind() == Reduction.Kind.MEAN) {
            throw new IllegalArgumentException("losses over matched pairs take a sum or an avg factor reduction "
                    + "(mmdet passes avg_factor = number of matched GT), got mean");
        }
        long[] batch = pairs.batchShape();
        if (pred.rank() != batch.length + 2 || !Arrays.equals(Arrays.copyOf(pred.shape(), batch.length), batch)) {
            throw new IllegalArgumentException(predName + " must have shape (P..., Q, D) with P... = "
                    + Shapes.format(batch) + " of the pairs, got " + Shapes.format(pred.shape()));
        }
        long dim = pred.shape(pred.rank() - 1);
        if (target.rank() < 2 || target.shape(target.rank() - 1) != dim) {
            throw new IllegalArgumentException(targetName + " must have shape (S..., M, " + dim + "), got "
                    + Shapes.format(target.shape()));
        }
        long[] gtBatch = Arrays.copyOf(target.shape(), target.rank() - 2);
        int samples = LossChecks.gtSamples(batch, gtBatch, targetName);
        TensorChecks.requireSameDevice(predName, pred, targetName, target, "pairs", pairs.counts(),
                "gradInto", gradInto);
        if (gradInto != null) {
            LossChecks.requireShape(gradInto, "gradInto", pred.shape());
            if (gradInto.dtype() != pred.dtype()) {
                throw new IllegalArgumentException("gradInto must have dtype " + pred.dtype() + ", got "
                        + gradInto.dtype());
            }
        }
        if (pred.numel() > Integer.MAX_VALUE || target.numel() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("inputs too large for one call");
        }
        Groups groups = Groups.of(batch, pairs.problems(), reduction, "pairs");
        long queries = pred.shape(pred.rank() - 2);
        long gtRows = target.shape(target.rank() - 2);
        return new MatchedLayout(pred, target, pairs, groups, (int) queries, (int) gtRows, (int) dim, samples);
    }

    PairIndex index() {
        return PairIndex.read(pairs, queries, gtRows);
    }
}
