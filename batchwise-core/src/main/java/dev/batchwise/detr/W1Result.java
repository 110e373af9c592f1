package dev.batchwise.detr;

import dev.batchwise.loss.MatchedPairs;
import dev.batchwise.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outputs of one W1 step: named loss values (device tensors, float64, shape (1)), the gradient
 * of the total loss with respect to every prediction tensor, and the matchings.
 *
 * <p>Loss names: {@code 3d.cls.d<l>} and {@code 3d.bbox.d<l>} per decoder layer {@code l}, then
 * {@code 2d.cls}, {@code 2d.bbox}, {@code 2d.iou}, {@code 2d.centers2d}, {@code 2d.centerness}.
 */
public final class W1Result implements AutoCloseable {
    final Map<String, Tensor> values = new LinkedHashMap<>();
    Tensor gradLogits3d;
    Tensor gradBoxes3d;
    Tensor gradLogits2d;
    Tensor gradBoxes2d;
    Tensor gradCenters2d;
    Tensor gradCenterness;
    MatchedPairs pairs3d;
    MatchedPairs pairs2d;
    Tensor heatmaps;

    W1Result() {}

    /** Per-name source of a value that is one element of a larger value tensor (e.g. one layer's loss). */
    final Map<String, Tensor> sources = new LinkedHashMap<>();
    final Map<String, Integer> sourceIndex = new LinkedHashMap<>();

    /** Records that value {@code name} is element {@code index} of {@code source}. */
    void putElement(String name, Tensor source, int index) {
        values.put(name, source.narrow(0, index, 1));
        sources.put(name, source);
        sourceIndex.put(name, index);
    }

    /**
     * Loss values on the host (synchronises), in name order. Values that are elements of one
     * tensor (the per-layer losses) are read with a single copy.
     */
    public Map<String, Double> losses() {
        Map<String, Double> out = new LinkedHashMap<>();
        Map<Tensor, double[]> read = new java.util.IdentityHashMap<>();
        values.forEach((k, v) -> {
            Tensor src = sources.get(k);
            out.put(k, src == null ? v.toDoubleArray()[0]
                    : read.computeIfAbsent(src, Tensor::toDoubleArray)[sourceIndex.get(k)]);
        });
        return out;
    }

    /** Sum of all loss values (synchronises). */
    public double total() {
        double t = 0;
        for (double v : losses().values()) {
            t += v;
        }
        return t;
    }

    /** d total / d logits3d {@code (L, B, Q, C)}. */
    public Tensor gradLogits3d() {
        return gradLogits3d;
    }

    /** d total / d boxes3d {@code (L, B, Q, 10)}. */
    public Tensor gradBoxes3d() {
        return gradBoxes3d;
    }

    /** d total / d logits2d {@code (I, P, C)}. */
    public Tensor gradLogits2d() {
        return gradLogits2d;
    }

    /** d total / d boxes2d {@code (I, P, 4)} (bbox L1 plus GIoU). */
    public Tensor gradBoxes2d() {
        return gradBoxes2d;
    }

    /** d total / d centers2d {@code (I, P, 2)}. */
    public Tensor gradCenters2d() {
        return gradCenters2d;
    }

    /** d total / d centerness logits {@code (I, H_f, W_f)}. */
    public Tensor gradCenterness() {
        return gradCenterness;
    }

    /** The 3D matching, batch shape {@code (L, B)}. */
    public MatchedPairs pairs3d() {
        return pairs3d;
    }

    /** The 2D matching, batch shape {@code (I)}. */
    public MatchedPairs pairs2d() {
        return pairs2d;
    }

    /** The centerness targets {@code (I, H_f, W_f)}. */
    public Tensor heatmaps() {
        return heatmaps;
    }

    /** Every gradient, in the order of the accessors. */
    public List<Tensor> gradients() {
        return List.of(gradLogits3d, gradBoxes3d, gradLogits2d, gradBoxes2d, gradCenters2d, gradCenterness);
    }

    /** Frees every tensor of the result. */
    @Override
    public void close() {
        values.values().forEach(Tensor::close);
        for (Tensor t : gradients()) {
            t.close();
        }
        for (MatchedPairs p : List.of(pairs3d, pairs2d)) {
            p.predIndices().close();
            p.gtIndices().close();
            p.counts().close();
        }
        heatmaps.close();
    }
}
