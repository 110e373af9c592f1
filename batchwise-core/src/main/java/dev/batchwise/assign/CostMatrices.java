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
 * <p>Devices: CPU tensors are computed on all cores. CUDA tensors are currently computed on the
 * host from copies (which waits for the device) and the result is returned on the inputs' device;
 * the fused CUDA kernel is pending.
 *
 * <p>Errors, before any work: {@link IllegalArgumentException} for shapes, dtypes or devices that do
 * not fit (naming the argument, expected vs actual), GT counts outside {@code [0, M]}; an
 * {@link IndexOutOfBoundsException} for a valid GT label outside {@code [0, C)}.
 */
public final class CostMatrices {
    private CostMatrices() {}

    /**
     * The weighted sum of {@code terms} for every (problem, query, GT) triple; see the class
     * documentation for shapes.
     */
    public static Tensor weightedSum(CostInputs inputs, List<CostTerm> terms) {
        if (inputs == null) {
            throw new IllegalArgumentException("inputs must not be null");
        }
        CostInputs.Layout lay = inputs.validate(List.copyOf(terms));
        return Backend.of(lay).weightedSum(inputs, List.copyOf(terms), lay);
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

    /** Device dispatch. */
    private interface Backend {
        Tensor weightedSum(CostInputs inputs, List<CostTerm> terms, CostInputs.Layout lay);

        static Backend of(CostInputs.Layout lay) {
            if (lay.device().isCpu()) {
                return CpuCostMatrices::weightedSum;
            }
            // No CUDA kernel yet: computed on the host from copies, returned on the inputs' device.
            return (in, terms, l) -> {
                Tensor host = CpuCostMatrices.weightedSum(in, terms, l);
                Tensor moved = host.to(l.device());
                host.close();
                return moved;
            };
        }
    }
}
