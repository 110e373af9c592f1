package dev.batchwise.loss;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Shapes;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorChecks;
import java.util.Arrays;

/**
 * Dense per-query targets built from matched pairs, as DETR heads build them from an assignment
 * ({@code _get_target_single}): matched queries take their GT's label, the others background.
 */
public final class MatchedTargets {
    private MatchedTargets() {}

    /**
     * Per-query class labels {@code (P..., Q)} int64: {@code labels[p, pred[p, k]] = gtLabels[s, gt[p, k]]}
     * for {@code k < counts[p]}, {@code background} elsewhere, with {@code s = p % samples}.
     *
     * @param pairs matched pairs, batch shape {@code P...}
     * @param gtLabels {@code (S..., M)} int32|int64, {@code S...} a suffix of {@code P...}
     * @param queries {@code Q}
     * @param background the label of unmatched queries (mmdet: the number of classes)
     * @throws IndexOutOfBoundsException for a pair index outside {@code [0, Q)} or {@code [0, M)}
     */
    public static Tensor classLabels(MatchedPairs pairs, Tensor gtLabels, long queries, long background) {
        LossChecks.requireNonNull(pairs, "pairs");
        LossChecks.requireIndex(gtLabels, "gtLabels");
        long[] gtBatch = LossChecks.withoutLast(gtLabels, "gtLabels");
        int samples = LossChecks.gtSamples(pairs.batchShape(), gtBatch, "gtLabels");
        TensorChecks.requireSameDevice("pairs", pairs.counts(), "gtLabels", gtLabels);
        long[] shape = Arrays.copyOf(pairs.batchShape(), pairs.batchShape().length + 1);
        shape[shape.length - 1] = queries;
        if (Shapes.numel(shape) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many queries for one call: " + Shapes.format(shape));
        }
        int m = (int) gtLabels.shape(gtLabels.rank() - 1);
        if (!gtLabels.device().isCpu()) {
            return CudaMatchedLosses.classLabels(pairs, gtLabels, shape, (int) queries, m, samples, background);
        }
        long[] labels = new long[(int) Shapes.numel(shape)];
        Arrays.fill(labels, background);
        long[] gl = gtLabels.toLongArray();
        PairIndex idx = PairIndex.read(pairs, queries, m);
        for (int p = 0; p < idx.problems(); p++) {
            int s = p % samples;
            for (int k = 0; k < idx.count(p); k++) {
                labels[(int) (p * queries + idx.pred(p, k))] = gl[s * m + idx.gt(p, k)];
            }
        }
        Tensor out = Tensor.of(labels, shape);
        return out.to(gtLabels.device());
    }
}
