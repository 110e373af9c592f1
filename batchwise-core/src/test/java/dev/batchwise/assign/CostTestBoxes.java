package dev.batchwise.assign;

import java.util.SplittableRandom;

/** Random test ground truth shared by the cost tests: xyxy pixel boxes in a 800 × 320 image. */
final class CostTestBoxes {
    private CostTestBoxes() {}

    /**
     * Fills GT box {@code i} (10 values at {@code i * 10}): corners x1 ∈ [0, 700), y1 ∈ [0, 250),
     * width < 100, height < 70, then 6 extra values, each {@code nextGaussian()} when
     * {@code gaussianExtras}, else uniform in [-0.5, 0.5). Draws from {@code r} in that order.
     */
    static void fill(double[] gtBoxes, int i, SplittableRandom r, boolean gaussianExtras) {
        double x1 = r.nextDouble() * 700;
        double y1 = r.nextDouble() * 250;
        gtBoxes[i * 10] = x1;
        gtBoxes[i * 10 + 1] = y1;
        gtBoxes[i * 10 + 2] = x1 + r.nextDouble() * 100;
        gtBoxes[i * 10 + 3] = y1 + r.nextDouble() * 70;
        for (int j = 4; j < 10; j++) {
            gtBoxes[i * 10 + j] = gaussianExtras ? r.nextGaussian() : r.nextDouble() - 0.5;
        }
    }
}
