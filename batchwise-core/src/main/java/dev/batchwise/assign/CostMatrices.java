package dev.batchwise.assign;

import dev.batchwise.tensor.Tensor;
import java.util.List;

/**
 * Batched DETR-style matching cost matrices: for every problem (prediction batch index), every
 * query {@code q} and every valid GT object {@code m}, a weighted sum of mmdetection cost terms
 * ({@link CostTerm}), computed in one pass without materialising the individual terms.
 *
 * <p>Output: {@code (P..., Q, M)} in the dtype of the predictions, where {@code P...} is the
 * prediction batch shape and {@code M} the padded GT count of {@link CostInputs}. Entry
 * {@code [p..., q, m]} for {@code m < gtCounts[s...]} is {@code sum_t term_t(q, m)}, with
 * {@code s...} the trailing GT batch index of {@code p...}; columns {@code m >= gtCounts} hold 0
 * and are meant to be excluded through the column counts of
 * {@code LinearAssignment}. Computed in double precision and rounded once.
 *
 * <p>Example (StreamPETR 3D head, 6 layers x 8 samples matched against per-sample GT):
 * <pre>{@code
 * Tensor cost = CostMatrices.weightedSum(inputs, List.of(
 *         CostTerm.focal(2.0, 0.25, 2.0),     // FocalLossCost(weight=2.0)
 *         CostTerm.bbox3dL1(0.25, 8)));       // BBox3DL1Cost(weight=0.25)
 * // cost: (6, 8, 644, 80)
 * }</pre>
 *
 * <p>Devices: CPU tensors are computed on all cores, with the loop specialised to the combination
 * of terms. CUDA tensors are computed by one kernel launch for all problems (costs.cu; up to 7
 * terms per launch, more terms accumulate in float64 and are rounded once), enqueued on the current
 * stream without waiting for the device; CPU and CUDA agree to the last bit or two of double
 * precision before the one rounding to the output type.
 *
 * <p>Errors, before any work: {@link IllegalArgumentException} for shapes, dtypes or devices that do
 * not fit (naming the argument, expected vs actual), GT counts outside {@code [0, M]}; an
 * {@link IndexOutOfBoundsException} for a valid GT label outside {@code [0, C)}. On CUDA the
 * counts and labels live on the device: those two are checked by the kernel and thrown when a
 * result is read.
 */
public final class CostMatrices {
    private CostMatrices() {}

    /**
     * The weighted sum of {@code terms} for every (problem, query, GT) triple; see the class
     * documentation for shapes.
     */
    public static Tensor weightedSum(CostInputs inputs, List<CostTerm> terms) {
        ProblemCosts pc = forMatching(inputs, terms);
        pc.columnCounts().close();
        return pc.costs();
    }

    /**
     * The weighted sum of {@code terms} together with the number of valid GT columns of every
     * problem — {@code gtCounts} repeated over the leading prediction batch dimensions — which is
     * what {@link HungarianMatching#match} and {@link LinearAssignment} take as column counts. On
     * CUDA both come from the same kernel launch.
     *
     * @return costs {@code (P..., Q, M)} and column counts int64 {@code (P...)}
     */
    public static ProblemCosts forMatching(CostInputs inputs, List<CostTerm> terms) {
        if (inputs == null) {
            throw new IllegalArgumentException("inputs must not be null");
        }
        if (terms == null) {
            throw new IllegalArgumentException("terms must name at least one cost term");
        }
        List<CostTerm> ts = List.copyOf(terms);
        CostInputs.Layout lay = inputs.validate(ts);
        return lay.device().isCpu() ? CpuCostMatrices.weightedSum(inputs, ts, lay)
                : CudaCostMatrices.weightedSum(inputs, ts, lay);
    }

    /**
     * Cost matrices of a batch of matching problems and their column counts.
     *
     * @param costs {@code (P..., Q, M)} in the predictions' dtype
     * @param columnCounts int64 {@code (P...)}: valid GT of each problem
     */
    public record ProblemCosts(Tensor costs, Tensor columnCounts) implements AutoCloseable {
        /** Frees both tensors. */
        @Override
        public void close() {
            costs.close();
            columnCounts.close();
        }
    }

    /** mmdetection {@code FocalLossCost} alone ({@link CostTerm.FocalLoss}); reads logits and GT labels. */
    public static Tensor focalLossCost(CostInputs inputs, double weight, double alpha, double gamma) {
        return weightedSum(inputs, List.of(CostTerm.focal(weight, alpha, gamma)));
    }

    /** mmdetection {@code ClassificationCost} alone ({@link CostTerm.Classification}). */
    public static Tensor classificationCost(CostInputs inputs, double weight) {
        return weightedSum(inputs, List.of(CostTerm.classification(weight)));
    }

    /** mmdetection {@code BBoxL1Cost} alone ({@link CostTerm.BBoxL1}). */
    public static Tensor bboxL1Cost(CostInputs inputs, double weight, BoxFormat format) {
        return weightedSum(inputs, List.of(CostTerm.bboxL1(weight, format)));
    }

    /** mmdet3d {@code BBox3DL1Cost} on the first {@code k} box values alone ({@link CostTerm.BBox3DL1}). */
    public static Tensor bbox3dL1Cost(CostInputs inputs, double weight, int k) {
        return weightedSum(inputs, List.of(CostTerm.bbox3dL1(weight, k)));
    }

    /** mmdetection {@code IoUCost} (IoU or GIoU) alone ({@link CostTerm.IoU}). */
    public static Tensor iouCost(CostInputs inputs, double weight, IouMode mode) {
        return weightedSum(inputs, List.of(CostTerm.iou(weight, mode)));
    }

    /** Centre L1 cost alone ({@link CostTerm.CenterL1}). */
    public static Tensor centerL1Cost(CostInputs inputs, double weight) {
        return weightedSum(inputs, List.of(CostTerm.centerL1(weight)));
    }
}
