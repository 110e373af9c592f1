package dev.batchwise.loss;

import dev.batchwise.tensor.Shapes;
import java.util.Arrays;

/**
 * The reduction groups of a loss: the first {@code keepDims} dimensions of {@code batchShape}
 * index the groups, every group covers {@code perGroup} consecutive units (elements, rows or
 * problems) in row-major order.
 */
record Groups(long[] valueShape, int count, int perGroup) {
    static Groups of(long[] batchShape, long units, Reduction reduction, String name) {
        int keep = reduction.keepDims();
        if (keep > batchShape.length) {
            throw new IllegalArgumentException("reduction keeps " + keep + " leading dimensions but " + name
                    + " has only " + batchShape.length + " batch dimensions " + Shapes.format(batchShape));
        }
        long[] shape = keep == 0 ? new long[] {1} : Arrays.copyOf(batchShape, keep);
        long count = keep == 0 ? 1 : Shapes.numel(shape);
        if (units > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " is too large for one call: " + units + " elements");
        }
        int per = count == 0 ? 0 : (int) (units / count);
        return new Groups(shape, (int) count, per);
    }

    /** {@code lossWeight / divisor} for every group, the factor of each group's raw sum. */
    double[] scales(Reduction reduction, double lossWeight, long elementsPerGroup) {
        double[] s = new double[count];
        Arrays.fill(s, lossWeight / reduction.divisor(elementsPerGroup));
        return s;
    }
}
